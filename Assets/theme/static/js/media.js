// Films and recordings in an event: large touch controls instead of the browser's small
// ones (play and pause, a position bar, captions on and off), captions on from the start
// in the page's language. Without JavaScript the browser's own controls remain.

import { el, onPress } from "./panel.js";

function clock(fmt, seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  return fmt.num(Math.floor(s / 60)) + ":" + fmt.num(String(s % 60).padStart(2, "0"));
}

/** Gives every `.player video` under `root` the large controls. */
export function players(root, fmt) {
  for (const video of root.querySelectorAll(".player video")) player(video, fmt);
}

function player(video, fmt) {
  if (video.dataset.enhanced) return;
  video.dataset.enhanced = "1";
  const t = fmt.t;
  video.controls = false;
  const bar = el("div", "media-controls");
  video.after(bar); // under the picture, above the recording's name and length
  bar.dir = "ltr"; // time runs left to right on the bar in every language
  const play = el("button", "media-play", bar);
  play.type = "button";
  const position = el("input", "media-position", bar);
  position.type = "range";
  position.min = "0";
  position.step = "0.1";
  position.max = String(Number(video.dataset.duration) || 0);
  position.value = "0";
  position.setAttribute("aria-label", t.media_position || "Position");
  const time = el("span", "media-time", bar);
  const captions = el("button", "media-captions", bar);
  captions.type = "button";
  captions.textContent = "CC";
  captions.setAttribute("aria-label", t.captions || "Captions");

  const track = () => [...video.textTracks].find((tt) => tt.kind === "captions" && tt.mode !== "disabled")
    || video.textTracks[0];
  // The default track (the page's language) shows from the start.
  const first = video.querySelector("track[default]");
  for (const tt of video.textTracks) tt.mode = tt.language === (first && first.srclang) ? "showing" : "disabled";

  const update = () => {
    const playing = !video.paused && !video.ended;
    play.textContent = playing ? "❚❚" : "▶";
    play.setAttribute("aria-label", playing ? t.pause || "Pause" : t.play || "Play");
    play.classList.toggle("playing", playing);
    const duration = Number.isFinite(video.duration) ? video.duration : Number(video.dataset.duration) || 0;
    position.max = String(duration);
    if (!position.matches(":active")) position.value = String(video.currentTime);
    time.textContent = clock(fmt, video.currentTime) + " / " + clock(fmt, duration);
    const shown = track();
    captions.setAttribute("aria-pressed", String(Boolean(shown && shown.mode === "showing")));
  };
  const toggle = () => { if (video.paused || video.ended) video.play().catch(() => {}); else video.pause(); };
  onPress(play, toggle);
  onPress(video, toggle);
  onPress(captions, () => {
    const shown = track();
    if (shown) shown.mode = shown.mode === "showing" ? "hidden" : "showing";
    update();
  });
  position.addEventListener("input", () => { video.currentTime = Number(position.value); update(); });
  for (const name of ["play", "pause", "ended", "timeupdate", "loadedmetadata", "seeked"]) {
    video.addEventListener(name, update);
  }
  update();
}
