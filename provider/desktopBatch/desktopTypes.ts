/**
 * The family rule of ModifyDesktopSpec, for diff/check to tell before any call whether ECD would refuse a type
 * change. The API reference and the SDK's ModifyDesktopSpec description: a desktop cannot change between the
 * General Office family and another one, nor between graphics and non-graphics types. Only the type id is
 * known here, so the family is read from it: `eds.general.4c16g` is of family `eds.general`, taken to be General
 * Office, and a family naming graphics or GPUs (`eds.graphics`, `ecd.graphics.xlarge`) is a graphics one.
 */

const GENERAL_OFFICE_FAMILY = "eds.general";

/** `eds.enterprise_office.4c8g` → `eds.enterprise_office`; a type id is its family plus a size. */
function familyOf(desktopType: string): string {
  const cut = desktopType.lastIndexOf(".");
  return cut > 0 ? desktopType.slice(0, cut) : desktopType;
}

const isGeneralOffice = (desktopType: string): boolean => familyOf(desktopType) === GENERAL_OFFICE_FAMILY;
const isGraphics = (desktopType: string): boolean => /graphics|gpu/i.test(familyOf(desktopType));

/** The rule ECD would refuse the change with, or undefined when the change is allowed. */
export function specChangeRefusal(fromType: string, toType: string): string | undefined {
  if (fromType === toType) return undefined;
  if (isGeneralOffice(fromType) !== isGeneralOffice(toType)) {
    return `${fromType} cannot change to ${toType}: ModifyDesktopSpec does not change a desktop between the General Office family (${GENERAL_OFFICE_FAMILY}) and other families`;
  }
  if (isGraphics(fromType) !== isGraphics(toType)) {
    return `${fromType} cannot change to ${toType}: ModifyDesktopSpec does not change a desktop between graphics and non-graphics types`;
  }
  return undefined;
}
