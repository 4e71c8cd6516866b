// Empties dist/ before a build, so that files of renamed or deleted sources never reach the packed tarball.
const fs = require("fs");
const path = require("path");

fs.rmSync(path.resolve(__dirname, "..", "dist"), { recursive: true, force: true });
