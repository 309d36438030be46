// Copies the front-end libraries from node_modules into the folders the project serves or tests with,
// and bundles the rich-text editor (TipTap + ProseMirror) into static/vendor/tiptap/.
//
//   npm run vendor        copies everything and builds the editor bundle
//   npm run build:editor  only builds the editor bundle (node scripts/vendor.mjs --editor-only)
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { build } from "esbuild";

const editorOnly = process.argv.includes("--editor-only");

const copies = [
  ["node_modules/modern-normalize/modern-normalize.css", "static/vendor/modern-normalize/modern-normalize.css"],
  ["node_modules/modern-normalize/license", "static/vendor/modern-normalize/LICENSE"],
  ["node_modules/axe-core/axe.min.js", "tests/browser/vendor/axe.min.js"],
  ["node_modules/axe-core/LICENSE", "tests/browser/vendor/axe-LICENSE"],
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx/htmx.min.js"],
  ["node_modules/htmx.org/LICENSE", "static/vendor/htmx/LICENSE"],
  // The PDFs' font family (and the print view's): embedded, so every machine renders the same.
  ...["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"].map((name) => [
    `node_modules/dejavu-fonts-ttf/ttf/${name}.ttf`,
    `static/vendor/dejavu/${name}.ttf`,
  ]),
  ["node_modules/dejavu-fonts-ttf/LICENSE", "static/vendor/dejavu/LICENSE"],
];
if (!editorOnly) {
  for (const [from, to] of copies) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    console.log(`${from} -> ${to}`);
  }
}

// --- Rich-text editor bundle -------------------------------------------------------------------
// One IIFE, no eval/new Function, no injected <style> (editor.js sets injectCSS: false; the needed
// ProseMirror rules live in static/css/editor.css), so it runs under a strict Content-Security-Policy.
const EDITOR_DIR = "static/vendor/tiptap";
const EDITOR_BUNDLE = `${EDITOR_DIR}/tiptap.bundle.js`;
const EDITOR_LICENSE = `${EDITOR_DIR}/LICENSE`;
const LICENSE_FILES = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "license.md", "LICENCE", "LICENCE.md"];

const ownPackage = JSON.parse(readFileSync("package.json", "utf8"));
const tiptapVersion = ownPackage.dependencies["@tiptap/core"];

mkdirSync(EDITOR_DIR, { recursive: true });
const result = await build({
  entryPoints: ["scripts/editor-entry.mjs"],
  outfile: EDITOR_BUNDLE,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2019"],
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
  banner: {
    js: `/*! Yhdyspinta rich-text editor bundle: TipTap ${tiptapVersion} and ProseMirror (MIT). ` +
      "Licences: LICENSE in this folder. Built from scripts/editor-entry.mjs by scripts/vendor.mjs; do not edit. */",
  },
});

// Every npm package that ended up in the bundle, found from esbuild's metafile.
function packageRoot(file) {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return null;
  const nameParts = parts[at + 1].startsWith("@") ? 2 : 1;
  return parts.slice(0, at + 1 + nameParts).join(sep);
}
const roots = new Set();
for (const file of Object.keys(result.metafile.outputs[EDITOR_BUNDLE].inputs)) {
  const root = packageRoot(file);
  if (root) roots.add(root);
}

// Group packages with an identical licence text so the file stays readable.
const byText = new Map();
for (const root of roots) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const licenseName = typeof pkg.license === "string" ? pkg.license : pkg.license && pkg.license.type;
  if (licenseName !== "MIT") {
    throw new Error(`${pkg.name}@${pkg.version} is bundled but its licence is ${licenseName}, not MIT: review it before vendoring.`);
  }
  const file = LICENSE_FILES.map((name) => join(root, name)).find((path) => existsSync(path));
  if (!file) throw new Error(`${pkg.name}@${pkg.version} is bundled but ships no licence file.`);
  const text = readFileSync(file, "utf8").replace(/\r\n/g, "\n").trim();
  if (!byText.has(text)) byText.set(text, []);
  byText.get(text).push(`${pkg.name}@${pkg.version}`);
}
const sections = [...byText.entries()]
  .map(([text, names]) => [text, names.sort()])
  .sort((a, b) => a[1][0].localeCompare(b[1][0]));
const licence = [
  `Third-party software in ${relative(".", EDITOR_BUNDLE).split(sep).join("/")}`,
  "",
  "The bundle is built from the npm packages listed below, all under the MIT licence.",
  "Each licence text follows the list of packages it covers.",
  ...sections.flatMap(([text, names]) => ["", "=".repeat(78), ...names, "=".repeat(78), "", text]),
  "",
].join("\n");
writeFileSync(EDITOR_LICENSE, licence);

const size = readFileSync(EDITOR_BUNDLE).length;
console.log(`scripts/editor-entry.mjs -> ${EDITOR_BUNDLE} (${(size / 1024).toFixed(1)} KiB, ${roots.size} packages)`);
console.log(`licences of ${roots.size} packages -> ${EDITOR_LICENSE}`);
