// Entry point for the vendored rich-text editor bundle (static/vendor/tiptap/tiptap.bundle.js).
// Built by scripts/vendor.mjs (`npm run vendor` or `npm run build:editor`) into one IIFE that exposes
// exactly one global. Our own code in static/js/editor.js configures and mounts the editor;
// keep this file free of configuration so upgrading TipTap only means re-running the build.
import { Editor } from "@tiptap/core";
import { StarterKit } from "@tiptap/starter-kit";
import { Link } from "@tiptap/extension-link";
import { Table, TableRow, TableHeader, TableCell } from "@tiptap/extension-table";

window.YhdyspintaTiptap = Object.freeze({ Editor, StarterKit, Link, Table, TableRow, TableHeader, TableCell });
