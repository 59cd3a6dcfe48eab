// @ts-check
// edit/mode.js: the "编辑 / Edit" switch in the bar, connecting the editor
// (edit/editor.js) with the plain selection and the circles view: editing takes
// over the panel and the clicks, and hands the grid back when it ends. The
// change feed (edit/feed.js) tells every tab of versions made elsewhere.

import { Editor } from './editor.js';
import { watchVersions } from './feed.js';
import { levelOf } from '../selection.js';

/** editMode creates the editor and its switch (button #edit-toggle).
 *  The grid selected when editing starts is the one edited; the one
 *  edited when it ends is selected. onSelected(code) keeps the URL's
 *  selection in step. */
export function editMode(map, panel, selection, circles, onSelected) {
  const toggle = document.getElementById('edit-toggle');
  const editor = new Editor(map, panel, {
    onToggle: (on) => {
      toggle.setAttribute('aria-pressed', String(on));
      document.body.classList.toggle('editing', on);
    },
    onSelected,
  });
  toggle.addEventListener('click', async () => {
    if (editor.on) {
      const code = editor.grid?.code;
      await editor.setOn(false);
      panel.render(null);
      if (code) selection.byCode(code);
      return;
    }
    await circles.setOn(false);
    const code = selection.code && levelOf(selection.code) === 'grid' ? selection.code : null;
    selection.clear();
    await editor.setOn(true, code);
  });
  watchVersions(map, editor);
  return editor;
}
