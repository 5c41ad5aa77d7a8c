// A full-screen panel with a heading and a large close target: filters, a cluster's
// events, a map pin's events. Escape and the close button dismiss it.

export function el(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

// MARK: Layers: whatever covers the screen makes the rest of the page inert, so neither a
// finger nor the keyboard nor a screen reader reaches what is underneath.

const layers = [];

function applyInert() {
  const top = layers[layers.length - 1];
  for (const child of document.body.children) {
    child.inert = Boolean(top) && child !== top && !child.contains(top);
  }
}

/** `node` (a child of body) now covers the page. */
export function pushLayer(node) {
  if (!layers.includes(node)) layers.push(node);
  applyInert();
}

/** `node` no longer covers the page. */
export function popLayer(node) {
  const i = layers.indexOf(node);
  if (i >= 0) layers.splice(i, 1);
  applyInert();
}

let dialogs = 0;

/**
 * A modal dialog on body: `className` on the layer, a heading `title` inside `holder`
 * (made by `inside(layer)`, or the layer itself) that names it. Returns {layer, holder, heading}.
 */
export function dialog(className, title, role = "dialog", inside = null) {
  const layer = el("div", className, document.body);
  layer.setAttribute("role", role);
  layer.setAttribute("aria-modal", "true");
  const holder = inside ? inside(layer) : layer;
  const heading = el("h2", "", holder);
  heading.textContent = title;
  heading.id = "dialog-title-" + ++dialogs;
  layer.setAttribute("aria-labelledby", heading.id);
  return { layer, holder, heading };
}

/** A large round × that closes what it belongs to. */
export function closeButton(parent, label, action) {
  const button = el("button", "panel-close", parent);
  button.type = "button";
  button.textContent = "×";
  button.setAttribute("aria-label", label);
  onPress(button, action);
  return button;
}

/** Opens a panel titled `title`; returns {panel, body, close}. */
export function openPanel(title, closeLabel, className = "") {
  const { layer: panel, holder: head } = dialog("panel " + className, title, "dialog", (p) => el("div", "panel-head", p));
  const button = closeButton(head, closeLabel, () => close());
  const back = document.activeElement;
  const close = () => {
    popLayer(panel);
    panel.remove();
    if (back && document.contains(back)) back.focus({ preventScroll: true });
  };
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  const body = el("div", "panel-body", panel);
  pushLayer(panel);
  button.focus();
  return { panel, head, body, close };
}

/**
 * Swallows the click a browser synthesises after a press that was already answered on
 * pointerup: by then the press may have closed a view, and the click would land on whatever
 * is under the finger now (a "ghost click").
 */
export function swallowNextClick() {
  const swallow = (event) => { event.preventDefault(); event.stopPropagation(); };
  window.addEventListener("click", swallow, { capture: true, once: true });
  setTimeout(() => window.removeEventListener("click", swallow, { capture: true }), 700);
}

/**
 * Runs `action` when `node` is pressed: on the lifting of a finger, pen or mouse that went
 * down on it without sliding away, or on a click from a keyboard or assistive technology.
 * A touch screen's synthesised click can come late or, after a multi-finger gesture, not at
 * all; the kiosk must answer every press at once, and only once.
 */
export function onPress(node, action) {
  let down = null;
  node.addEventListener("pointerdown", (event) => {
    if (event.isPrimary && (event.pointerType !== "mouse" || event.button === 0)) down = [event.clientX, event.clientY];
  });
  node.addEventListener("pointercancel", () => { down = null; });
  node.addEventListener("pointerup", (event) => {
    if (!event.isPrimary || !down) return;
    const slid = Math.hypot(event.clientX - down[0], event.clientY - down[1]) > 12;
    down = null;
    if (slid) return;
    swallowNextClick(); // the click that follows this press must not answer it again
    action(event);
  });
  node.addEventListener("click", (event) => {
    event.preventDefault();
    action(event);
  });
}
