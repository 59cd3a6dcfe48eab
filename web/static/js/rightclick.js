// @ts-check
// rightclick.js: a right click on the map that is a click, not the end of
// a right-button drag (which rotates the map). Browsers fire contextmenu on
// mouse down (Linux, macOS) or on mouse up (Windows); either way the
// handler runs once the button is up and only if the mouse stayed put.

const SLOP_PX = 5;

/** onRightClick calls fn(lngLat) for each still right click on the map
 *  while active() is true; the browser's menu is then not shown. */
export function onRightClick(map, active, fn) {
  let last = null; // the latest right-button press: where, and where it ended
  map.getCanvasContainer().addEventListener('mousedown', (e) => {
    if (e.button === 2) last = { x: e.clientX, y: e.clientY, up: null, pending: null, used: false };
  });
  window.addEventListener('mouseup', (e) => {
    if (e.button !== 2 || !last || last.up) return;
    last.up = { x: e.clientX, y: e.clientY };
    last.pending?.();
  });
  map.on('contextmenu', (e) => {
    if (!active()) return;
    e.originalEvent?.preventDefault();
    const press = last && !last.used ? last : null;
    if (press) press.used = true;
    const fire = () => {
      if (!press || Math.hypot(press.up.x - press.x, press.up.y - press.y) <= SLOP_PX) fn(e.lngLat);
    };
    if (press && !press.up) press.pending = fire;
    else fire();
  });
}
