/*
 * Yhdyspinta: rich-text editing and autosave for agreement sections.
 *
 * Progressive enhancement of
 *   <form class="section-editor" data-autosave ...> ... <textarea data-rich-text> ... </form>
 * The plain form keeps working without JavaScript. With this file (and, for rich text, the vendored
 * bundle static/vendor/tiptap/tiptap.bundle.js, which defines window.YhdyspintaTiptap) the textarea
 * becomes a TipTap editor and, on forms marked data-autosave, changes are saved with fetch.
 *
 * Written for a strict Content-Security-Policy: no inline script or style, no style attributes
 * (the editor's HTML output has none either), no <style> elements (injectCSS: false; the rules live in
 * static/css/editor.css), no eval. Plain ES2019, no build step. All user-visible text comes from the
 * markup (button labels, data-prompt, data-text-* attributes) or from the server's JSON ("message", "history").
 */
(function () {
  "use strict";

  var AUTOSAVE_DELAY_MS = 1500;
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 30000;
  var ALLOWED_PROTOCOLS = ["http", "https", "mailto"];
  var HEADING_LEVELS = [2, 3, 4];

  // Whitespace and control characters that browsers ignore or strip when they parse a URL.
  var URL_IGNORED_CHARS = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;
  var SCHEME = /^([a-z][a-z0-9+.-]*):/i;

  var savers = [];
  var leavingOnPurpose = false; // the normal form POST or the conflict link: no unsaved-changes warning

  // ---------------------------------------------------------------------------------------------
  // Links

  /** True for http:, https: and mailto: URLs and for relative URLs; never javascript:, data: etc. */
  function isAllowedHref(url) {
    if (typeof url !== "string") {
      return false;
    }
    var compact = url.replace(URL_IGNORED_CHARS, "");
    if (compact === "") {
      return false;
    }
    var scheme = SCHEME.exec(compact);
    if (scheme) {
      return ALLOWED_PROTOCOLS.indexOf(scheme[1].toLowerCase()) !== -1;
    }
    // No scheme: a relative URL ("/ohjeet/", "#kohta", "//host/path") cannot run script.
    return true;
  }

  /** Turns what a person typed into the link prompt into an href ("www.x.fi" -> "https://www.x.fi"). */
  function hrefFromInput(input) {
    var value = input.trim();
    if (value === "" || SCHEME.test(value) || /^[/#?.]/.test(value)) {
      return value;
    }
    if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) {
      return "mailto:" + value;
    }
    return "https://" + value;
  }

  // ---------------------------------------------------------------------------------------------
  // Inline styles in incoming HTML (stored text, pasted Word/web content)
  //
  // Even a detached parse (DOMParser, which TipTap and ProseMirror use) checks style="" attributes
  // and <style> elements against the page's CSP: they are blocked, but every one is reported as a
  // violation. The editor's schema drops them anyway, so remove them from the string first.

  var STYLE_ELEMENT = /<style\b[\s\S]*?<\/style\s*>/gi;
  // Attributes must be separated by whitespace or "/", names may not contain "<" and unquoted values
  // may not contain "/", so a tag can be read only one way and a failed match ends early (no
  // catastrophic backtracking). A tag these do not match is left as it is.
  var ATTRIBUTES = "(?:(?:\\s+|\\s*/+\\s*)[^\\s\"'<>/=]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`/]+))?)*";
  var START_TAG = new RegExp("<([a-zA-Z][^\\s/>]*)(" + ATTRIBUTES + ")(\\s*/?>)", "g");
  var ATTRIBUTE = /(\s+|\s*\/+\s*)([^\s"'<>/=]+)((?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`/]+))?)/g;

  function stripInlineStyles(html) {
    if (typeof html !== "string" || !/style/i.test(html)) {
      return html;
    }
    return html.replace(STYLE_ELEMENT, "").replace(START_TAG, function (tag, name, attributes, end) {
      if (!/style/i.test(attributes)) {
        return tag;
      }
      var kept = attributes.replace(ATTRIBUTE, function (attribute, space, attrName) {
        return attrName.toLowerCase() === "style" ? space : attribute;
      });
      return "<" + name + kept + end;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Extensions: configured so the HTML the editor produces carries no style attributes.

  function withoutStyle(attributes) {
    var copy = {};
    Object.keys(attributes).forEach(function (name) {
      if (name !== "style") {
        copy[name] = attributes[name];
      }
    });
    return copy;
  }

  function buildExtensions(lib) {
    // Table cells would otherwise turn a pasted text-align into a style attribute.
    function withoutAlign(CellType) {
      return CellType.extend({
        addAttributes: function () {
          var attributes = Object.assign({}, this.parent ? this.parent() : {});
          delete attributes.align;
          return attributes;
        },
      });
    }
    // In the editor the table is drawn by TipTap's TableView (CSSOM only, allowed by CSP); this
    // replaces the serialised form, which would have <colgroup>/<col style> and <table style>.
    var Table = lib.Table.extend({
      renderHTML: function (props) {
        var attributes = withoutStyle(Object.assign({}, this.options.HTMLAttributes, props.HTMLAttributes));
        return ["table", attributes, ["tbody", 0]];
      },
    });
    return [
      lib.StarterKit.configure({
        heading: { levels: HEADING_LEVELS },
        link: false, // configured below
      }),
      lib.Link.configure({
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: "https",
        HTMLAttributes: { target: null, rel: "noopener noreferrer nofollow", class: null },
        isAllowedUri: function (url) {
          return isAllowedHref(url);
        },
        shouldAutoLink: function (url) {
          return isAllowedHref(url);
        },
      }),
      Table.configure({ resizable: false }),
      lib.TableRow,
      withoutAlign(lib.TableHeader),
      withoutAlign(lib.TableCell),
    ];
  }

  // ---------------------------------------------------------------------------------------------
  // Save state and autosave (one per form)

  function Saver(form) {
    this.form = form;
    this.stateEl = form.querySelector("[data-save-state]");
    this.savedText = this.stateEl ? this.stateEl.textContent.trim() : "";
    this.autosave = form.hasAttribute("data-autosave");
    // Bumped on every edit. The merge page opens with text that is not saved (data-unsaved): it
    // counts as a change until the server accepts it.
    this.changes = form.hasAttribute("data-unsaved") ? 1 : 0;
    this.savedChanges = 0; // value of `changes` the server last accepted
    this.inFlight = false;
    this.again = false; // another save was asked for while one was in flight
    this.stopped = false; // conflict or forbidden: the server must be asked through the normal form
    this.rejected = -1; // value of `changes` the server refused as invalid (not retried)
    this.conflictChanges = -1; // value of `changes` the server answered with a conflict
    this.debounceTimer = null;
    this.retryTimer = null;
    this.retryCount = 0;
  }

  Saver.prototype.text = function (name) {
    return (this.stateEl && this.stateEl.getAttribute("data-text-" + name)) || "";
  };

  Saver.prototype.show = function (text, modifier) {
    var el = this.stateEl;
    if (!el) {
      return;
    }
    el.classList.remove("save-state--error", "save-state--conflict", "save-state--busy");
    if (modifier) {
      el.classList.add("save-state--" + modifier);
    }
    // Only touch the live region when the text changes, so screen readers are not spammed.
    if (el.textContent !== text || el.children.length > 0) {
      el.textContent = text;
    }
  };

  Saver.prototype.hasUnsavedChanges = function () {
    return this.changes !== this.savedChanges;
  };

  Saver.prototype.changed = function () {
    this.changes += 1;
    if (this.stopped) {
      return; // keep the conflict / forbidden message visible
    }
    if (this.retryTimer) {
      return; // a retry with back-off is already scheduled and will send the latest text
    }
    if (!this.inFlight) {
      this.show(this.text("unsaved"));
    }
    if (this.autosave) {
      var self = this;
      window.clearTimeout(this.debounceTimer);
      this.debounceTimer = window.setTimeout(function () {
        self.debounceTimer = null;
        self.save(false);
      }, AUTOSAVE_DELAY_MS);
    }
  };

  /** Saves now. `explicit` is true for the Save button: it saves even when nothing changed. */
  Saver.prototype.save = function (explicit) {
    if (this.stopped) {
      return;
    }
    window.clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (!explicit && (!this.hasUnsavedChanges() || this.changes === this.rejected)) {
      return;
    }
    window.clearTimeout(this.retryTimer);
    this.retryTimer = null;

    var self = this;
    var sent = this.changes;
    this.inFlight = true;
    this.again = false;
    this.show(this.text("saving"), "busy");

    window
      .fetch(this.form.action, {
        method: "POST",
        body: new FormData(this.form),
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        credentials: "same-origin",
      })
      .then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        var body = isJson ? response.json().catch(function () { return null; }) : Promise.resolve(null);
        return body.then(function (data) {
          self.handleResponse(response, data, sent);
        });
      }, function () {
        self.retryLater();
      })
      .catch(function () {
        self.retryLater();
      })
      .then(function () {
        self.inFlight = false;
        if (self.stopped || self.retryTimer) {
          return;
        }
        if (self.again || (self.hasUnsavedChanges() && !self.debounceTimer && self.changes !== self.rejected)) {
          self.save(self.again);
        }
      });
  };

  Saver.prototype.handleResponse = function (response, data, sent) {
    var status = response.status;
    var message = data && typeof data.message === "string" ? data.message : "";

    if (response.ok && data && data.status === "saved") {
      this.retryCount = 0;
      var baseVersion = this.form.querySelector('input[name="base_version"]');
      if (baseVersion && data.version !== undefined && data.version !== null) {
        baseVersion.value = String(data.version);
      }
      this.savedChanges = Math.max(this.savedChanges, sent);
      showHistory(data.history);
      if (this.hasUnsavedChanges()) {
        this.show(this.text("unsaved"));
      } else {
        this.show(message || this.savedText);
      }
      return;
    }
    if (status === 409) {
      this.stop();
      this.conflictChanges = sent;
      this.showConflict(message || this.text("error"), data);
      return;
    }
    if (status === 400 || status === 404 || status === 405 || status === 413 || status === 422) {
      // The server refused this text; do not send it again until it changes.
      this.rejected = sent;
      this.show(message || this.text("error"), "error");
      return;
    }
    if (status === 408 || status === 429 || status >= 500) {
      this.retryLater();
      return;
    }
    // 401/403 (session expired, agreement no longer a draft), any other status, or a success
    // without our JSON (for example a redirect to the login page): stop and say so.
    this.stop();
    this.show(message || this.text("error"), "error");
  };

  Saver.prototype.showConflict = function (message, data) {
    this.show(message, "conflict");
    var url = data && typeof data.conflict_url === "string" ? data.conflict_url : "";
    if (!this.stateEl || !url || !isSameOrigin(url)) {
      return;
    }
    var link = document.createElement("a");
    link.href = url;
    link.textContent = typeof data.conflict_link_text === "string" && data.conflict_link_text ? data.conflict_link_text : url;
    var self = this;
    link.addEventListener("click", function () {
      // The server has the text it refused; only edits made after that would be lost.
      if (self.changes === self.conflictChanges) {
        leavingOnPurpose = true;
      }
    });
    this.stateEl.appendChild(document.createTextNode(" "));
    this.stateEl.appendChild(link);
  };

  Saver.prototype.retryLater = function () {
    if (this.stopped) {
      return;
    }
    var self = this;
    var delay = Math.min(RETRY_FIRST_MS * Math.pow(2, this.retryCount), RETRY_MAX_MS);
    this.retryCount += 1;
    this.show(this.text("error"), "error");
    window.clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(function () {
      self.retryTimer = null;
      self.save(true);
    }, delay);
  };

  Saver.prototype.stop = function () {
    this.stopped = true;
    window.clearTimeout(this.debounceTimer);
    window.clearTimeout(this.retryTimer);
    this.debounceTimer = null;
    this.retryTimer = null;
  };

  /** The page's "History: N versions" link follows the saves (the server words it). */
  function showHistory(text) {
    if (typeof text !== "string" || text === "") {
      return;
    }
    var links = document.querySelectorAll("[data-history-link]");
    for (var i = 0; i < links.length; i += 1) {
      links[i].textContent = text;
    }
  }

  function isSameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  function saverFor(form) {
    for (var i = 0; i < savers.length; i += 1) {
      if (savers[i].form === form) {
        return savers[i];
      }
    }
    var saver = new Saver(form);
    savers.push(saver);
    if (saver.autosave) {
      form.addEventListener("submit", function (event) {
        if (saver.stopped) {
          // After a conflict or a refusal the normal POST lets the server show its own page.
          leavingOnPurpose = true;
          return;
        }
        event.preventDefault();
        saver.save(true);
      });
    }
    return saver;
  }

  // ---------------------------------------------------------------------------------------------
  // Toolbar

  function toolbarFor(form, textarea) {
    var toolbars = form.querySelectorAll(".editor-toolbar");
    for (var i = 0; i < toolbars.length; i += 1) {
      var controls = toolbars[i].getAttribute("aria-controls");
      if (controls === textarea.id || (!controls && toolbars.length === 1)) {
        return toolbars[i];
      }
    }
    return null;
  }

  function runCommand(editor, button) {
    var name = button.getAttribute("data-command");
    var chain = editor.chain().focus();
    switch (name) {
      case "bold":
        return chain.toggleBold().run();
      case "italic":
        return chain.toggleItalic().run();
      case "heading":
        return chain.toggleHeading({ level: headingLevel(button) }).run();
      case "bulletList":
        return chain.toggleBulletList().run();
      case "orderedList":
        return chain.toggleOrderedList().run();
      case "insertTable":
        return chain.insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run();
      case "link":
        return editLink(editor, button);
      default:
        if (typeof chain[name] === "function" && typeof editor.commands[name] === "function") {
          return chain[name]().run();
        }
        return false;
    }
  }

  function headingLevel(button) {
    var level = parseInt(button.getAttribute("data-level"), 10);
    return HEADING_LEVELS.indexOf(level) === -1 ? HEADING_LEVELS[0] : level;
  }

  function editLink(editor, button) {
    var current = editor.getAttributes("link").href || "";
    var answer = window.prompt(button.getAttribute("data-prompt") || button.textContent.trim(), current);
    if (answer === null) {
      editor.commands.focus();
      return false; // cancelled
    }
    var href = hrefFromInput(answer);
    if (href === "") {
      return editor.chain().focus().extendMarkRange("link").unsetLink().run();
    }
    if (!isAllowedHref(href)) {
      editor.commands.focus();
      return false;
    }
    if (editor.state.selection.empty && !editor.isActive("link")) {
      return editor
        .chain()
        .focus()
        .insertContent({ type: "text", text: answer.trim(), marks: [{ type: "link", attrs: { href: href } }] })
        .run();
    }
    return editor.chain().focus().extendMarkRange("link").setLink({ href: href }).run();
  }

  /** aria-pressed for toggles, aria-disabled where the command cannot run here. */
  function refreshToolbar(editor, buttons) {
    buttons.forEach(function (button) {
      var name = button.getAttribute("data-command");
      var active = null;
      var possible = true;
      var can = editor.can();
      switch (name) {
        case "bold":
          active = editor.isActive("bold");
          possible = can.toggleBold();
          break;
        case "italic":
          active = editor.isActive("italic");
          possible = can.toggleItalic();
          break;
        case "heading":
          active = editor.isActive("heading", { level: headingLevel(button) });
          possible = can.toggleHeading({ level: headingLevel(button) });
          break;
        case "bulletList":
          active = editor.isActive("bulletList");
          possible = can.toggleBulletList();
          break;
        case "orderedList":
          active = editor.isActive("orderedList");
          possible = can.toggleOrderedList();
          break;
        case "link":
          break;
        case "insertTable":
          possible = can.insertTable({ rows: 3, cols: 3, withHeaderRow: true });
          break;
        default:
          possible = typeof can[name] === "function" ? can[name]() : true;
      }
      if (active !== null && button.hasAttribute("aria-pressed")) {
        button.setAttribute("aria-pressed", active ? "true" : "false");
      }
      if (possible) {
        button.removeAttribute("aria-disabled");
      } else {
        button.setAttribute("aria-disabled", "true");
      }
    });
  }

  /** WAI-ARIA toolbar pattern: one tab stop, arrow keys (and Home/End) move between the buttons. */
  function rovingTabindex(toolbar, buttons) {
    if (buttons.length === 0) {
      return;
    }
    function focusButton(index) {
      buttons.forEach(function (button, i) {
        button.tabIndex = i === index ? 0 : -1;
      });
      buttons[index].focus();
    }
    buttons.forEach(function (button, i) {
      button.tabIndex = i === 0 ? 0 : -1;
      button.addEventListener("focus", function () {
        buttons.forEach(function (other, j) {
          other.tabIndex = j === i ? 0 : -1;
        });
      });
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index === -1 || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var next = null;
      if (event.key === "ArrowRight" || event.key === "ArrowDown") {
        next = (index + 1) % buttons.length;
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        next = (index - 1 + buttons.length) % buttons.length;
      } else if (event.key === "Home") {
        next = 0;
      } else if (event.key === "End") {
        next = buttons.length - 1;
      }
      if (next !== null) {
        event.preventDefault();
        focusButton(next);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Mounting

  function labelFor(textarea) {
    var label = textarea.labels && textarea.labels.length ? textarea.labels[0] : null;
    if (!label && textarea.id) {
      label = document.querySelector('label[for="' + textarea.id.replace(/["\\]/g, "\\$&") + '"]');
    }
    return label;
  }

  function mountRichText(textarea, saver, lib) {
    var form = textarea.form;
    var toolbar = form ? toolbarFor(form, textarea) : null;
    var label = labelFor(textarea);
    var baseId = textarea.id || textarea.name || "rich-text";
    if (label && !label.id) {
      label.id = baseId + "-label";
    }

    var holder = document.createElement("div");
    holder.className = "rich-text";
    textarea.parentNode.insertBefore(holder, textarea.nextSibling);

    var attributes = { role: "textbox", "aria-multiline": "true", id: baseId + "-editor" };
    if (label) {
      attributes["aria-labelledby"] = label.id;
    }
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (textarea.hasAttribute(name)) {
        attributes[name] = textarea.getAttribute(name);
      }
    });

    var buttons = toolbar ? Array.prototype.slice.call(toolbar.querySelectorAll("button[data-command]")) : [];
    var editor;
    try {
      editor = new lib.Editor({
        element: holder,
        extensions: buildExtensions(lib),
        content: stripInlineStyles(textarea.value),
        injectCSS: false,
        editorProps: { attributes: attributes, transformPastedHTML: stripInlineStyles },
        onUpdate: function (props) {
          textarea.value = props.editor.getHTML();
          if (saver) {
            saver.changed();
          }
        },
        onTransaction: function (props) {
          refreshToolbar(props.editor, buttons);
        },
      });
    } catch (error) {
      holder.parentNode.removeChild(holder);
      return false; // keep the plain textarea
    }

    textarea.hidden = true;
    if (label) {
      label.addEventListener("click", function (event) {
        event.preventDefault();
        editor.commands.focus();
      });
    }
    if (toolbar) {
      toolbar.setAttribute("aria-controls", attributes.id);
      toolbar.hidden = false;
      rovingTabindex(toolbar, buttons);
      buttons.forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          if (button.getAttribute("aria-disabled") === "true") {
            return;
          }
          if (!editor.view.hasFocus()) {
            // TipTap's focus() waits for the next frame; focus now so typing goes on in the text.
            editor.view.focus();
          }
          runCommand(editor, button);
          refreshToolbar(editor, buttons);
        });
      });
      refreshToolbar(editor, buttons);
    }
    return true;
  }

  function enhance(textarea, lib) {
    var form = textarea.form;
    var saver = form ? saverFor(form) : null;
    var mounted = false;
    if (lib) {
      mounted = mountRichText(textarea, saver, lib);
    }
    if (!mounted && saver) {
      // No editor bundle (or it failed): the plain textarea still autosaves.
      textarea.addEventListener("input", function () {
        saver.changed();
      });
    }
  }

  function init() {
    var lib = window.YhdyspintaTiptap;
    if (!lib || typeof lib.Editor !== "function") {
      lib = null;
    }
    var textareas = document.querySelectorAll("textarea[data-rich-text]");
    for (var i = 0; i < textareas.length; i += 1) {
      enhance(textareas[i], lib);
    }
    window.addEventListener("beforeunload", function (event) {
      if (leavingOnPurpose) {
        return;
      }
      var unsaved = savers.some(function (saver) {
        return saver.autosave && (saver.hasUnsavedChanges() || saver.inFlight);
      });
      if (unsaved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
