// "A+": larger text for visitors with low vision, in three steps, kept until the idle reset.

const STEPS = [1, 1.25, 1.5];

import { onPress } from "./panel.js";

export function textSize(button) {
  let step = Number(sessionStorage.getItem("kt-text") || 0) % STEPS.length;
  const apply = () => {
    document.documentElement.style.setProperty("--text-scale", String(STEPS[step]));
    button.setAttribute("aria-pressed", String(step > 0));
    button.dataset.step = String(step);
    // The timeline measures its cards in ems: tell it the size changed.
    window.dispatchEvent(new Event("kt-textsize"));
  };
  onPress(button, () => {
    step = (step + 1) % STEPS.length;
    try { sessionStorage.setItem("kt-text", String(step)); } catch (_) {}
    apply();
  });
  apply();
}
