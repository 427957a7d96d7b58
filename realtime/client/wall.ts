// The wall's browser client (54B): the official y-websocket provider on the wall's room; the board is rebuilt from
// the Y.Doc on every change, so pupils' post-its appear on every screen without a click. Free layout: a canvas
// larger than the screen (scroll to pan, buttons to zoom), post-its moved by dragging or with the arrow keys.
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
  let viewport: HTMLElement | null = null;
  let scroll = { left: 0, top: 0 };

  const canEdit = (p: Postit) => moderator || (canPost && p.authorId === me);
  const visible = () => readPostits(doc).filter((p) => p.approved || moderator || p.authorId === me);

  function postitNode(p: Postit): HTMLElement {
    const li = el("li", { class: `postit postit-${p.colour}${p.approved ? "" : " postit-pending"}`, "data-id": p.id });
    if (free) {
      li.style.left = `${p.x}px`;
      li.style.top = `${p.y}px`;
    }
    if (editing === p.id) {
      const area = el("textarea", { "aria-label": T["wall.postit.text"]!, maxlength: "500", rows: "4" });
      area.value = p.text;
      const save = el(
        "button",
        { type: "button", "data-action": "save", class: "button-small" },
        T["wall.postit.save"]!,
      );
      li.append(area, save);
      queueMicrotask(() => area.focus());
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

  function render(): void {
    const focusedId = (document.activeElement?.closest("[data-id]") as HTMLElement | null)?.dataset.id;
    const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
    if (viewport) scroll = { left: viewport.scrollLeft, top: viewport.scrollTop };
    const items = visible();
    const parts: Node[] = heading ? [heading] : [];
    if (items.length === 0) parts.push(el("p", { class: "wall-empty" }, T["wall.board.empty"]!));
    if (free) {
      const tools = el(
        "div",
        { class: "wall-tools" },
        el("button", { type: "button", "data-action": "zoom-out", class: "button-small" }, T["wall.zoom_out"]!),
        el("button", { type: "button", "data-action": "zoom-in", class: "button-small" }, T["wall.zoom_in"]!),
      );
      viewport = el("div", { class: "wall-viewport", tabindex: "0", role: "region", "aria-label": T["wall.canvas"]! });
      const canvas = el("ul", { class: "wall-canvas postits" });
      canvas.style.width = `${CANVAS.width}px`;
      canvas.style.height = `${CANVAS.height}px`;
      canvas.style.transform = `scale(${zoom})`;
      canvas.append(...items.map(postitNode));
      const sizer = el("div", { class: "wall-sizer" });
      sizer.style.width = `${CANVAS.width * zoom}px`;
      sizer.style.height = `${CANVAS.height * zoom}px`;
      sizer.append(canvas);
      viewport.append(sizer);
      parts.push(tools, viewport);
    } else {
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
    if (focusedId) {
      const again = board.querySelector<HTMLElement>(
        `[data-id="${CSS.escape(focusedId)}"] ${focusedAction ? `[data-action="${focusedAction}"]` : "button"}`,
      );
      again?.focus();
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

  board.addEventListener("click", (e) => {
    const button = (e.target as HTMLElement).closest<HTMLElement>("[data-action]");
    if (!button) return;
    const id = button.closest<HTMLElement>("[data-id]")?.dataset.id;
    const action = button.dataset.action;
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
      render();
    } else if (action === "save") {
      const text = button.parentElement!.querySelector("textarea")!.value.trim().slice(0, 500);
      editing = null;
      if (text) updatePostit(doc, id, { text });
      render();
    }
  });

  // Keyboard moves: the move button with the arrow keys, 20 px a press.
  board.addEventListener("keydown", (e) => {
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

  // Pointer drags: grab a post-it by its move handle.
  board.addEventListener("pointerdown", (e) => {
    const handle = (e.target as HTMLElement).closest<HTMLElement>('[data-action="move"]');
    const li = handle?.closest<HTMLElement>("[data-id]");
    if (!handle || !li) return;
    const id = li.dataset.id!;
    const start = { x: e.clientX, y: e.clientY, left: li.offsetLeft, top: li.offsetTop };
    handle.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      li.style.left = `${start.left + (ev.clientX - start.x) / zoom}px`;
      li.style.top = `${start.top + (ev.clientY - start.y) / zoom}px`;
    };
    const up = (ev: PointerEvent) => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      const x = Math.round(start.left + (ev.clientX - start.x) / zoom);
      const y = Math.round(start.top + (ev.clientY - start.y) / zoom);
      if (Math.abs(ev.clientX - start.x) + Math.abs(ev.clientY - start.y) > 3) {
        updatePostit(doc, id, {
          x: Math.max(0, Math.min(CANVAS.width - CANVAS.postit, x)),
          y: Math.max(0, Math.min(CANVAS.height - CANVAS.postit, y)),
        });
      }
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
  });

  // The add form goes through the room directly (the same form posts to the server without JavaScript).
  const form = document.getElementById("wall-add-form") as HTMLFormElement | null;
  form?.addEventListener("submit", (e) => {
    if (!provider.wsconnected) return; // offline: let the form post, the server adds it
    e.preventDefault();
    const data = new FormData(form);
    const text = String(data.get("texte") ?? "").trim();
    if (!text) return;
    const colour = String(data.get("couleur"));
    addPostit(doc, {
      id: crypto.randomUUID(),
      authorId: me,
      authorName: myName,
      text: text.slice(0, 500),
      colour: (POSTIT_COLOURS as readonly string[]).includes(colour) ? (colour as Postit["colour"]) : "jaune",
      column: Number(data.get("colonne") ?? 0) || 0,
      ...nextSpot(postitsOf(doc).size),
      approved: !(moderated && !moderator),
      createdAt: new Date().toISOString(),
    });
    form.reset();
    (form.querySelector("textarea") as HTMLTextAreaElement).focus();
  });
}
