// The Element Plus pieces the desk uses, each with its own CSS (on demand: importing the whole kit
// and its stylesheet would triple the desk's first load). Views import from here.
import "element-plus/es/components/alert/style/css";
import "element-plus/es/components/button/style/css";
import "element-plus/es/components/card/style/css";
import "element-plus/es/components/checkbox/style/css";
import "element-plus/es/components/checkbox-group/style/css";
import "element-plus/es/components/config-provider/style/css";
import "element-plus/es/components/descriptions/style/css";
import "element-plus/es/components/descriptions-item/style/css";
import "element-plus/es/components/empty/style/css";
import "element-plus/es/components/form/style/css";
import "element-plus/es/components/form-item/style/css";
import "element-plus/es/components/image/style/css";
import "element-plus/es/components/input/style/css";
import "element-plus/es/components/input-number/style/css";
import "element-plus/es/components/message/style/css";
import "element-plus/es/components/option/style/css";
import "element-plus/es/components/select/style/css";
import "element-plus/es/components/table/style/css";
import "element-plus/es/components/table-column/style/css";
import "element-plus/es/components/tag/style/css";
import "element-plus/es/components/timeline/style/css";
import "element-plus/es/components/timeline-item/style/css";

export {
  ElAlert, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElConfigProvider, ElDescriptions, ElDescriptionsItem,
  ElEmpty, ElForm, ElFormItem, ElImage, ElInput, ElInputNumber, ElMessage, ElOption, ElSelect, ElTable,
  ElTableColumn, ElTag, ElTimeline, ElTimelineItem,
} from "element-plus";
export { default as zhCn } from "element-plus/es/locale/lang/zh-cn.mjs";
