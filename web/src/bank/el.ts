// The Element Plus pieces of the bank desk: the clerk desk's (../desk/el) and the few more its forms
// need, each with its own CSS (on demand, as the clerk desk does).
import "element-plus/es/components/date-picker/style/css";
import "element-plus/es/components/dialog/style/css";
import "element-plus/es/components/divider/style/css";
import "element-plus/es/components/progress/style/css";
import "element-plus/es/components/radio/style/css";
import "element-plus/es/components/radio-group/style/css";
import "element-plus/es/components/tab-pane/style/css";
import "element-plus/es/components/tabs/style/css";

export * from "../desk/el";
export { ElDatePicker, ElDialog, ElDivider, ElProgress, ElRadio, ElRadioGroup, ElTabPane, ElTabs } from "element-plus";
