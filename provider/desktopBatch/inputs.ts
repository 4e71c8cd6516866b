export type { DesktopBatchInputs, DesktopBatchComputed, Timeouts } from "./generated/types";
