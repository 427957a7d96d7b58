// The wall's browser client (54B): the official y-websocket provider on the wall's room; the board is rebuilt from
// the Y.Doc on every change, so pupils' post-its appear on every screen without a click. Free layout: a canvas
// larger than the screen (scroll to pan, buttons to zoom), post-its moved by dragging or with the arrow keys. Issue 21:
// "Ajouter un post-it" at the top of the board, and a click or tap on the canvas, open a new post-it right there.
import * as Y from "yjs";
import {
  addPostit,
  CANVAS,
  nextSpot,
  POSTIT_COLOURS,
  postitsOf,
  readPostits,
  removePostit,
  updatePostit,
  type Postit,
} from "../wall-model";
import { connect, liveStatus } from "./live";

const root = document.getElementById("mur");
if (root) start(root);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function start(root: HTMLElement): void {
  const T = JSON.parse(root.dataset.t ?? "{}") as Record<string, string>;
  const me = root.dataset.user!;
  const myName = root.dataset.userName!;
  const moderator = root.dataset.moderator === "1";
  const canPost = root.dataset.canPost === "1";
  const free = root.dataset.layout === "free";
  const moderated = root.dataset.mode === "moderated";
  const columns = JSON.parse(root.dataset.columns ?? "[]") as string[];
  const doc = new Y.Doc();
  const provider = connect(root.dataset.room!, doc);
  liveStatus(provider, root.querySelector<HTMLElement>(".wall-status")!, T, "wall.live", myName);
  const board = root.querySelector<HTMLElement>(".wall-board")!;
  const heading = board.querySelector("h2");
  let zoom = 1;
  let editing: string | null = null;
  /** What is typed in the post-it being edited, kept across re-renders (a live change rebuilds the board). */
  let editText: { value: string; start: number; end: number } | null = null;
  let viewport: HTMLElement | null = null;
  let scroll = { left: 0, top: 0 };
  /** The new post-it being written on the canvas (nothing is in the room until it is added). */
  let draft: { x: number; y: number; text: string; colour: Postit["colour"] } | null = null;
  /** A post-it being dragged: the board is not rebuilt under the pointer; a change meanwhile renders after the drop. */
  let dragging = false;
  let renderLater = false;
  /** Where the focus goes after the next render (the post-it just added). */
  let focusAfter: string | null = null;
  const form = document.getElementById("wall-add-form") as HTMLFormElement | null;
  const plusIcon = board.querySelector(".wall-add-link svg")?.cloneNode(true) ?? null;
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, Math.round(v)));
  const spot = (x: number, y: number) => ({
    x: clamp(x, CANVAS.width - CANVAS.postit),
    y: clamp(y, CANVAS.height - CANVAS.postit),
  });

  const canEdit = (p: Postit) => moderator || (canPost && p.authorId === me);
  const visible = () => readPostits(doc).filter((p) => p.approved || moderator || p.authorId === me);

  function postitNode(p: Postit): HTMLElement {
    const li = el("li", { class: `postit postit-${p.colour}${p.approved ? "" : " postit-pending"}`, "data-id": p.id });
    if (free && canEdit(p)) li.classList.add("postit-draggable");
    if (free) {
      li.style.left = `${p.x}px`;
      li.style.top = `${p.y}px`;
    }
    if (editing === p.id) {
      const area = el("textarea", {
        "aria-label": T["wall.postit.text"]!,
        maxlength: "500",
        rows: "4",
        "data-edit": "text",
      });
      area.value = editText?.value ?? p.text;
      const save = el(
        "button",
        { type: "button", "data-action": "save", class: "button-small" },
        T["wall.postit.save"]!,
      );
      li.append(area, save);
      const kept = editText;
      queueMicrotask(() => {
        area.focus();
        if (kept) area.setSelectionRange(kept.start, kept.end);
      });
      return li;
    }
    li.append(
      el("p", { class: "postit-text" }, p.text),
      el("p", { class: "postit-author" }, T["wall.postit.by"]!.replace("{name}", p.authorName)),
    );
    if (!p.approved) li.append(el("p", { class: "postit-badge" }, T["wall.postit.pending"]!));
    if (canEdit(p)) {
      const actions = el("div", { class: "postit-actions" });
      if (free)
        actions.append(
          el(
            "button",
            {
              type: "button",
              class: "button-small postit-move",
              "data-action": "move",
              "aria-label": `${T["wall.postit.move"]} : ${p.text.slice(0, 40)}`,
            },
            "✥",
          ),
        );
      actions.append(
        el("button", { type: "button", class: "button-small", "data-action": "edit" }, T["wall.postit.edit"]!),
        el("button", { type: "button", class: "button-small", "data-action": "delete" }, T["wall.postit.delete"]!),
      );
      if (!p.approved && moderator)
        actions.append(
          el("button", { type: "button", class: "button-small", "data-action": "approve" }, T["wall.postit.approve"]!),
        );
      li.append(actions);
    }
    return li;
  }

  function colourSelect(value: string): HTMLSelectElement {
    const select = el("select", { "aria-label": T["wall.postit.colour"]!, "data-draft": "colour" });
    for (const c of POSTIT_COLOURS) {
      const option = el("option", { value: c }, T[`wall.colour.${c}`]!);
      option.selected = c === value;
      select.append(option);
    }
    return select;
  }

  /** The new post-it on the canvas: its text, its colour, add or cancel. */
  function draftNode(d: NonNullable<typeof draft>): HTMLElement {
    const li = el("li", { class: `postit postit-${d.colour} postit-draft` });
    // A list item keeps its role (axe: a list holds list items); the group inside names the new post-it.
    const group = el("div", { class: "postit-draft-body", role: "group", "aria-label": T["wall.add.draft"]! });
    li.append(group);
    li.style.left = `${d.x}px`;
    li.style.top = `${d.y}px`;
    const area = el("textarea", {
      "aria-label": T["wall.postit.text"]!,
      maxlength: "500",
      rows: "4",
      "data-draft": "text",
    });
    area.value = d.text;
    group.append(
      area,
      colourSelect(d.colour),
      el(
        "div",
        { class: "postit-actions" },
        el(
          "button",
          { type: "button", class: "button-small button-primary", "data-action": "draft-add" },
          T["wall.postit.add"]!,
        ),
        el("button", { type: "button", class: "button-small", "data-action": "draft-cancel" }, T["wall.add.cancel"]!),
      ),
    );
    return li;
  }

  function openDraft(x: number, y: number): void {
    draft = { ...spot(x, y), text: draft?.text ?? "", colour: draft?.colour ?? "jaune" };
    render();
    const area = board.querySelector<HTMLTextAreaElement>('.postit-draft [data-draft="text"]');
    area?.scrollIntoView({ block: "nearest", inline: "nearest" });
    area?.focus();
  }

  /** A new post-it in the room, as the plain form makes one; returns its id. */
  function create(text: string, colour: string, column: number, at: { x: number; y: number }): string {
    const id = crypto.randomUUID();
    addPostit(doc, {
      id,
      authorId: me,
      authorName: myName,
      text: text.slice(0, 500),
      colour: (POSTIT_COLOURS as readonly string[]).includes(colour) ? (colour as Postit["colour"]) : "jaune",
      column,
      ...at,
      approved: !(moderated && !moderator),
      createdAt: new Date().toISOString(),
    });
    return id;
  }

  function render(): void {
    if (dragging) {
      renderLater = true;
      return;
    }
    const focusedId = (document.activeElement?.closest("[data-id]") as HTMLElement | null)?.dataset.id;
    const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
    const active = document.activeElement as HTMLTextAreaElement | HTMLSelectElement | null;
    const focusedDraft = active?.closest(".postit-draft") ? active.dataset.draft : undefined;
    const selection =
      active instanceof HTMLTextAreaElement ? { start: active.selectionStart, end: active.selectionEnd } : null;
    if (viewport) scroll = { left: viewport.scrollLeft, top: viewport.scrollTop };
    const items = visible();
    const parts: Node[] = heading ? [heading] : [];
    const tools = el("div", { class: "wall-tools" });
    if (canPost) {
      // Free layout: a new post-it where the board shows; columns: the plain form below, focused.
      const add = free
        ? el("button", { type: "button", class: "button-primary wall-add-link", "data-action": "add" })
        : el("a", { href: "#wall-add", class: "button button-primary wall-add-link", "data-action": "add" });
      if (plusIcon) add.append(plusIcon.cloneNode(true));
      add.append(el("span", {}, T["wall.postit.new"]!));
      tools.append(add);
    }
    if (items.length === 0) parts.push(el("p", { class: "wall-empty" }, T["wall.board.empty"]!));
    if (free) {
      tools.append(
        el("button", { type: "button", "data-action": "zoom-out", class: "button-small" }, T["wall.zoom_out"]!),
        el("button", { type: "button", "data-action": "zoom-in", class: "button-small" }, T["wall.zoom_in"]!),
      );
      viewport = el("div", { class: "wall-viewport", tabindex: "0", role: "region", "aria-label": T["wall.canvas"]! });
      const canvas = el("ul", { class: `wall-canvas postits${canPost ? " wall-canvas-open" : ""}` });
      canvas.style.width = `${CANVAS.width}px`;
      canvas.style.height = `${CANVAS.height}px`;
      canvas.style.transform = `scale(${zoom})`;
      canvas.append(...items.map(postitNode));
      if (draft) canvas.append(draftNode(draft));
      const sizer = el("div", { class: "wall-sizer" });
      sizer.style.width = `${CANVAS.width * zoom}px`;
      sizer.style.height = `${CANVAS.height * zoom}px`;
      sizer.append(canvas);
      viewport.append(sizer);
      parts.splice(heading ? 1 : 0, 0, tools);
      if (canPost) parts.push(el("p", { class: "hint wall-hint" }, T["wall.add.hint"]!));
      parts.push(viewport);
    } else {
      if (canPost) parts.splice(heading ? 1 : 0, 0, tools);
      const cols = el("div", { class: "wall-columns" });
      columns.forEach((name, i) => {
        const list = el("ul", { class: "postits", "data-column": String(i) });
        list.append(...items.filter((p) => Math.min(p.column, columns.length - 1) === i).map(postitNode));
        cols.append(el("section", { class: "wall-column", "aria-label": name }, el("h3", {}, name), list));
      });
      parts.push(cols);
    }
    board.replaceChildren(...parts);
    if (viewport) {
      viewport.scrollLeft = scroll.left;
      viewport.scrollTop = scroll.top;
    }
    if (focusAfter) {
      board.querySelector<HTMLElement>(`[data-id="${CSS.escape(focusAfter)}"] button`)?.focus();
      focusAfter = null;
    } else if (focusedDraft) {
      const again = board.querySelector<HTMLTextAreaElement | HTMLSelectElement>(
        `.postit-draft [data-draft="${focusedDraft}"]`,
      );
      again?.focus();
      if (again instanceof HTMLTextAreaElement && selection) again.setSelectionRange(selection.start, selection.end);
    } else if (focusedId) {
      const again = board.querySelector<HTMLElement>(
        `[data-id="${CSS.escape(focusedId)}"] ${focusedAction ? `[data-action="${focusedAction}"]` : "button"}`,
      );
      again?.focus();
    } else if (focusedAction === "add" || focusedAction === "zoom-in" || focusedAction === "zoom-out") {
      board.querySelector<HTMLElement>(`[data-action="${focusedAction}"]`)?.focus();
    }
  }

  let synced = false;
  provider.on("sync", (s: boolean) => {
    if (s && !synced) {
      synced = true;
      render();
    }
  });
  doc.on("update", () => {
    if (synced) render();
  });

  // What the draft holds survives the re-renders a live change causes.
  board.addEventListener("input", (e) => {
    const field = e.target as HTMLElement;
    if (field instanceof HTMLTextAreaElement && field.dataset.edit === "text")
      editText = { value: field.value, start: field.selectionStart, end: field.selectionEnd };
    if (!draft || !field.closest(".postit-draft")) return;
    if (field.dataset.draft === "text") draft.text = (field as HTMLTextAreaElement).value;
    if (field.dataset.draft === "colour") {
      const colour = (field as HTMLSelectElement).value;
      if ((POSTIT_COLOURS as readonly string[]).includes(colour)) draft.colour = colour as Postit["colour"];
      render();
    }
  });

  let justDragged = false;
  board.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    if (justDragged) {
      justDragged = false;
      return;
    }
    // A click or tap on the canvas itself (not on a post-it) opens a new post-it there.
    if (free && canPost && target.classList.contains("wall-canvas")) {
      const rect = target.getBoundingClientRect();
      openDraft((e.clientX - rect.left) / zoom, (e.clientY - rect.top) / zoom);
      return;
    }
    const button = target.closest<HTMLElement>("[data-action]");
    if (!button) return;
    const id = button.closest<HTMLElement>("[data-id]")?.dataset.id;
    const action = button.dataset.action;
    if (action === "add") {
      if (!free) {
        // The link scrolls to the plain form; its text box takes the focus.
        queueMicrotask(() => form?.querySelector("textarea")?.focus());
        return;
      }
      // Near the top left of what the canvas shows now.
      const left = viewport ? viewport.scrollLeft / zoom : 0;
      const top = viewport ? viewport.scrollTop / zoom : 0;
      openDraft(left + 24, top + 24);
      return;
    }
    if (action === "draft-cancel") {
      draft = null;
      render();
      board.querySelector<HTMLElement>('[data-action="add"]')?.focus();
      return;
    }
    if (action === "draft-add" && draft) {
      const text = draft.text.trim();
      if (!text) {
        board.querySelector<HTMLTextAreaElement>('.postit-draft [data-draft="text"]')?.focus();
        return;
      }
      focusAfter = create(text, draft.colour, 0, { x: draft.x, y: draft.y });
      draft = null;
      render();
      return;
    }
    if (action === "zoom-in" || action === "zoom-out") {
      zoom = Math.min(1.5, Math.max(0.4, zoom + (action === "zoom-in" ? 0.2 : -0.2)));
      render();
      board.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus();
      return;
    }
    if (!id) return;
    if (action === "delete") removePostit(doc, id);
    else if (action === "approve") updatePostit(doc, id, { approved: true });
    else if (action === "edit") {
      editing = id;
      editText = null;
      render();
    } else if (action === "save") {
      const text = button.parentElement!.querySelector("textarea")!.value.trim().slice(0, 500);
      editing = null;
      editText = null;
      if (text) updatePostit(doc, id, { text });
      render();
    }
  });

  // Keyboard moves: the move button with the arrow keys, 20 px a press.
  board.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && draft && (e.target as HTMLElement).closest(".postit-draft")) {
      draft = null;
      render();
      board.querySelector<HTMLElement>('[data-action="add"]')?.focus();
      return;
    }
    const button = (e.target as HTMLElement).closest<HTMLElement>('[data-action="move"]');
    const id = button?.closest<HTMLElement>("[data-id]")?.dataset.id;
    const delta = { ArrowLeft: [-20, 0], ArrowRight: [20, 0], ArrowUp: [0, -20], ArrowDown: [0, 20] }[e.key];
    if (!id || !delta) return;
    e.preventDefault();
    const m = postitsOf(doc).get(id);
    if (!m) return;
    updatePostit(doc, id, {
      x: Math.max(0, Math.min(CANVAS.width - CANVAS.postit, Number(m.get("x")) + delta[0]!)),
      y: Math.max(0, Math.min(CANVAS.height - CANVAS.postit, Number(m.get("y")) + delta[1]!)),
    });
  });

  // Pointer drags: a mouse or a pen grabs an editable post-it anywhere but on its controls; a finger grabs its move
  // handle (elsewhere, a finger scrolls the canvas).
  board.addEventListener("pointerdown", (e) => {
    if (!free || e.button !== 0) return;
    const target = e.target as HTMLElement;
    const handle = target.closest<HTMLElement>('[data-action="move"]');
    const li = target.closest<HTMLElement>(".postit-draggable[data-id]");
    if (!li) return;
    if (!handle && (e.pointerType === "touch" || target.closest("button, textarea, select, input, a, summary"))) return;
    const id = li.dataset.id!;
    const grab = handle ?? li;
    const start = { x: e.clientX, y: e.clientY, left: li.offsetLeft, top: li.offsetTop };
    let moved = false;
    dragging = true;
    grab.setPointerCapture(e.pointerId);
    if (!handle) e.preventDefault(); // no text selection while dragging
    const move = (ev: PointerEvent) => {
      if (Math.abs(ev.clientX - start.x) + Math.abs(ev.clientY - start.y) > 3) moved = true;
      li.style.left = `${start.left + (ev.clientX - start.x) / zoom}px`;
      li.style.top = `${start.top + (ev.clientY - start.y) / zoom}px`;
    };
    const up = (ev: PointerEvent) => {
      grab.removeEventListener("pointermove", move);
      grab.removeEventListener("pointerup", up);
      grab.removeEventListener("pointercancel", up);
      dragging = false;
      if (moved && ev.type === "pointerup") {
        justDragged = true;
        setTimeout(() => (justDragged = false), 0);
        updatePostit(
          doc,
          id,
          spot(start.left + (ev.clientX - start.x) / zoom, start.top + (ev.clientY - start.y) / zoom),
        );
      }
      // A change that came during the drag, or a drag given up: the board shows the room again.
      if (renderLater || (moved && ev.type !== "pointerup")) {
        renderLater = false;
        render();
      }
    };
    grab.addEventListener("pointermove", move);
    grab.addEventListener("pointerup", up);
    grab.addEventListener("pointercancel", up);
  });

  // The add form goes through the room directly (the same form posts to the server without JavaScript).
  form?.addEventListener("submit", (e) => {
    if (!provider.wsconnected) return; // offline: let the form post, the server adds it
    e.preventDefault();
    const data = new FormData(form);
    const text = String(data.get("texte") ?? "").trim();
    if (!text) return;
    create(text, String(data.get("couleur")), Number(data.get("colonne") ?? 0) || 0, nextSpot(postitsOf(doc).size));
    form.reset();
    (form.querySelector("textarea") as HTMLTextAreaElement).focus();
  });
}
