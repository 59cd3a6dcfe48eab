// @ts-check
import { addMessages } from '../i18n.js';

// staff/i18n.js: the words of a grid's staff panel in Chinese and English,
// registered with i18n.js's addMessages when the folder's first module
// loads; staff.js takes t from here, so the words are there when used.

/** STAFF_MESSAGES are the messages by language. */
export const STAFF_MESSAGES = {
  zh: {
    staffTitle: '网格员',
    staffRole_head: '网格长', staffRole_worker: '网格员',
    staffType_full_time: '专职', staffType_part_time: '兼职',
    staffRoleTyped: '{0}{1}',
    staffCall: '拨打{0}的电话 {1}',
    staffNone: '本网格未登记网格员',
    staffMasked: '姓名和电话已隐去：需使用管辖本网格的令牌查看。',
  },
  en: {
    staffTitle: 'Grid staff',
    staffRole_head: 'grid head', staffRole_worker: 'grid worker',
    staffType_full_time: 'Full-time', staffType_part_time: 'Part-time',
    staffRoleTyped: '{0} {1}',
    staffCall: 'Call {0} on {1}',
    staffNone: 'No staff recorded for this grid',
    staffMasked: 'Names and phones are masked: a token whose scope covers this grid shows them.',
  },
};

addMessages(STAFF_MESSAGES);

export { t } from '../i18n.js';
