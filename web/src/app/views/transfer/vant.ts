// The Vant components the transfer screens use, each with its own CSS (importing all of Vant's CSS
// would cost 53 KB gzip on every screen). Screens import from here: `<van-field>` resolves to VanField.
import "vant/es/button/style/index.mjs";
import "vant/es/cell/style/index.mjs";
import "vant/es/cell-group/style/index.mjs";
import "vant/es/checkbox/style/index.mjs";
import "vant/es/checkbox-group/style/index.mjs";
import "vant/es/field/style/index.mjs";
import "vant/es/loading/style/index.mjs";
import "vant/es/popup/style/index.mjs";
import "vant/es/progress/style/index.mjs";
import "vant/es/radio/style/index.mjs";
import "vant/es/radio-group/style/index.mjs";
import "vant/es/step/style/index.mjs";
import "vant/es/steps/style/index.mjs";
import "vant/es/switch/style/index.mjs";
import "vant/es/tag/style/index.mjs";

export {
  Button as VanButton,
  Cell as VanCell,
  CellGroup as VanCellGroup,
  Checkbox as VanCheckbox,
  CheckboxGroup as VanCheckboxGroup,
  Field as VanField,
  Loading as VanLoading,
  Popup as VanPopup,
  Progress as VanProgress,
  Radio as VanRadio,
  RadioGroup as VanRadioGroup,
  Step as VanStep,
  Steps as VanSteps,
  Switch as VanSwitch,
  Tag as VanTag,
} from "vant";
