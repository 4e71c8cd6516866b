// Makes `require("pulumi-ecd")` resolve inside this checkout the way it does in a user's project:
// the examples and the dynamic provider's serialized proxy load the package by name.
const fs = require("fs");
const path = require("path");

function linkSelf() {
  const root = path.resolve(__dirname, "..");
  const link = path.join(root, "node_modules", "pulumi-ecd");
  try {
    if (fs.lstatSync(link).isSymbolicLink() && fs.realpathSync(link) === root) return;
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync("..", link, "dir");
}

module.exports = { linkSelf };
if (require.main === module) linkSelf();
