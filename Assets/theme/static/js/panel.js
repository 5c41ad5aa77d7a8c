// A full-screen panel with a heading and a large close target: filters, a cluster's
// events, a map pin's events. Escape and the close button dismiss it.

export function el(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

/** Opens a panel titled `title`; returns {panel, body, close}. */
export function openPanel(title, closeLabel, className = "") {
  const panel = el("div", "panel " + className, document.body);
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "true");
  const head = el("div", "panel-head", panel);
  const h = el("h2", "", head);
  h.textContent = title;
  h.id = "panel-title-" + Math.random().toString(36).slice(2);
  panel.setAttribute("aria-labelledby", h.id);
  const button = el("button", "panel-close", head);
  button.type = "button";
  button.textContent = "×";
  button.setAttribute("aria-label", closeLabel);
  const back = document.activeElement;
  const close = () => { panel.remove(); if (back && document.contains(back)) back.focus({ preventScroll: true }); };
  button.addEventListener("click", close);
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  const body = el("div", "panel-body", panel);
  button.focus();
  return { panel, head, body, close };
}
