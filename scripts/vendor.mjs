// Copies the front-end libraries from node_modules into the folders the project serves or tests with.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

const copies = [
  ["node_modules/modern-normalize/modern-normalize.css", "static/vendor/modern-normalize/modern-normalize.css"],
  ["node_modules/modern-normalize/license", "static/vendor/modern-normalize/LICENSE"],
  ["node_modules/axe-core/axe.min.js", "tests/browser/vendor/axe.min.js"],
  ["node_modules/axe-core/LICENSE", "tests/browser/vendor/axe-LICENSE"],
];
for (const [from, to] of copies) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`${from} -> ${to}`);
}
