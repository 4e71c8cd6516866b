/**
 * Whether a DesktopBatch's arguments set an input that the old and the new batch of a replacement cannot share
 * (the schema's `collides`: a hostname, a member IP). `pulumi up --replace` asks the provider for no diff, so the
 * provider's delete-before-replace never reaches a forced replacement: the SDK sets it on the resource instead.
 */
export function claimsUniqueValues(
  args: object | undefined,
  fields: readonly string[],
  itemFields: Readonly<Record<string, readonly string[]>>,
): boolean {
  const record = (args ?? {}) as Record<string, unknown>;
  if (fields.some((field) => record[field] !== undefined)) return true;
  return Object.entries(itemFields).some(([list, inner]) => {
    const items = record[list];
    return (
      Array.isArray(items) &&
      items.some(
        (item) =>
          typeof item === "object" &&
          item !== null &&
          inner.some((field) => (item as Record<string, unknown>)[field] !== undefined),
      )
    );
  });
}
