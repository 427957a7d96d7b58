// The live document editor (56B): ProseMirror bound to the room's Y.XmlFragment with y-prosemirror, shared cursors,
// collaborative undo, a small toolbar (headings, lists, bold/italic, links), pasted images (55F) and the browser's
// spell checker in French (56A). Viewers get the same live view, not editable.
import * as Y from "yjs";
import { Schema, type MarkType, type NodeType } from "prosemirror-model";
import { schema as basic } from "prosemirror-schema-basic";
import { addListNodes, liftListItem, sinkListItem, splitListItem, wrapInList } from "prosemirror-schema-list";
import { EditorState, type Command } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { keymap } from "prosemirror-keymap";
import { baseKeymap, setBlockType, toggleMark } from "prosemirror-commands";
import { redo, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin } from "y-prosemirror";
import { FRAGMENT } from "../document-model";
import { connect, liveStatus } from "./live";

const schema = new Schema({
  nodes: addListNodes(basic.spec.nodes, "paragraph block*", "block"),
  marks: basic.spec.marks,
});
const MAX_IMAGE_BYTES = 400 * 1024;

const root = document.getElementById("document");
if (root) start(root);

function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  return empty ? !!type.isInSet(state.storedMarks ?? $from.marks()) : state.doc.rangeHasMark(from, to, type);
}

function start(root: HTMLElement): void {
  const T = JSON.parse(root.dataset.t ?? "{}") as Record<string, string>;
  const editable = root.dataset.canEdit === "1";
  const doc = new Y.Doc();
  const provider = connect(root.dataset.room!, doc);
  const userName = document.querySelector(".main-nav a[href='/compte']")?.textContent?.replace(/^Compte de /, "") ?? "";
  liveStatus(provider, root.querySelector<HTMLElement>(".wall-status")!, T, "document.live", userName);
  const body = root.querySelector<HTMLElement>(".document-body")!;
  const staticHtml = body.querySelector<HTMLElement>(".document-html")!;
  const host = document.createElement("div");
  host.className = "document-editor";
  const nodes = schema.nodes as Record<string, NodeType>;
  const marks = schema.marks as Record<string, MarkType>;

  const toolbar = document.createElement("div");
  toolbar.className = "document-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", T["document.toolbar"]!);
  const buttons: { key: string; run: Command; active?: (s: EditorState) => boolean }[] = [
    { key: "document.toolbar.bold", run: toggleMark(marks.strong!), active: (s) => markActive(s, marks.strong!) },
    { key: "document.toolbar.italic", run: toggleMark(marks.em!), active: (s) => markActive(s, marks.em!) },
    { key: "document.toolbar.h1", run: setBlockType(nodes.heading!, { level: 1 }) },
    { key: "document.toolbar.h2", run: setBlockType(nodes.heading!, { level: 2 }) },
    { key: "document.toolbar.paragraph", run: setBlockType(nodes.paragraph!) },
    { key: "document.toolbar.bullets", run: wrapInList(nodes.bullet_list!) },
    { key: "document.toolbar.numbers", run: wrapInList(nodes.ordered_list!) },
    {
      key: "document.toolbar.link",
      run: (state, dispatch) => {
        if (state.selection.empty) return false;
        if (markActive(state, marks.link!)) return toggleMark(marks.link!)(state, dispatch);
        const href = prompt(T["document.toolbar.link_prompt"]!, "https://");
        if (!href || !/^(https?:|mailto:)/i.test(href)) return false;
        return toggleMark(marks.link!, { href })(state, dispatch);
      },
    },
  ];

  const view = new EditorView(host, {
    state: EditorState.create({
      schema,
      plugins: [
        ySyncPlugin(doc.getXmlFragment(FRAGMENT)),
        yCursorPlugin(provider.awareness),
        yUndoPlugin(),
        keymap({
          "Mod-z": undo,
          "Mod-y": redo,
          "Mod-Shift-z": redo,
          "Mod-b": toggleMark(marks.strong!),
          "Mod-i": toggleMark(marks.em!),
          Enter: splitListItem(nodes.list_item!),
          "Mod-[": liftListItem(nodes.list_item!),
          "Mod-]": sinkListItem(nodes.list_item!),
        }),
        keymap(baseKeymap),
      ],
    }),
    editable: () => editable,
    // 56A: the browser's spell checker, in French.
    attributes: {
      spellcheck: "true",
      lang: "fr",
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": T["document.edit"]!,
      class: "document-prose",
    },
    // 55F: pasted images become image nodes (data URLs of raster images, bounded in size).
    handlePaste(view, event) {
      const files = [...(event.clipboardData?.files ?? [])].filter((f) => /^image\/(png|jpeg|gif|webp)$/.test(f.type));
      if (!files.length || !editable) return false;
      for (const file of files) {
        if (file.size > MAX_IMAGE_BYTES) continue;
        const reader = new FileReader();
        reader.onload = () => {
          const node = nodes.image!.create({ src: String(reader.result), alt: file.name });
          view.dispatch(view.state.tr.replaceSelectionWith(node));
        };
        reader.readAsDataURL(file);
      }
      return true;
    },
    // `this`, not `view`: y-prosemirror dispatches while the view is still being built.
    dispatchTransaction(this: EditorView, tr) {
      this.updateState(this.state.apply(tr));
      refreshToolbar(this);
    },
  });

  function refreshToolbar(v: EditorView): void {
    toolbar.querySelectorAll<HTMLButtonElement>("button").forEach((b, i) => {
      const active = buttons[i]!.active?.(v.state);
      if (active !== undefined) b.setAttribute("aria-pressed", String(active));
    });
  }
  for (const b of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button-small";
    button.textContent = T[b.key]!;
    button.addEventListener("mousedown", (e) => e.preventDefault());
    button.addEventListener("click", () => {
      b.run(view.state, view.dispatch, view);
      view.focus();
    });
    toolbar.append(button);
  }
  provider.on("sync", (synced: boolean) => {
    if (!synced || host.isConnected) return;
    staticHtml.replaceWith(...(editable ? [toolbar, host] : [host]));
    refreshToolbar(view);
  });
}
