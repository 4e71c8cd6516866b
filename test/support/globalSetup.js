// Before any suite: `require("pulumi-ecd")` must resolve to this checkout (the provider proxy, the examples),
// also on a fresh clone where nothing has run scripts/link-self.js yet and for a bare `npx jest`.
module.exports = async () => require("../../scripts/link-self.js").linkSelf();
