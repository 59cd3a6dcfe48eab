// @ts-check
import { addMessages } from '../i18n.js';

// head/i18n.js: the words of the grid table, exports, print layout,
// measuring tools, what-if comparison and
// MapLibre's own controls, in Chinese and English (registered with i18n.js's addMessages;
// the folder's modules take t and lang from here).

/** HEAD_MESSAGES are the messages by language. */
export const HEAD_MESSAGES = {
  zh: {
    tableToggle: '网格表', tableToggleTitle: '全部网格的表格：排序、筛选、导出',
    tableLabel: '网格表', tableFilter: '筛选编码、名称、社区、街道…', tableFilterLabel: '筛选',
    hhMin: '户数≥', hhMax: '户数≤', covBelow: '覆盖率低于（%）', outOfRangeOnly: '仅户数超出{0}-{1}的网格',
    col_code: '网格编码', col_name: '名称', col_district: '区', col_subdist: '街道', col_community: '社区',
    col_households: '户数', col_buildings: '楼栋', col_coverage: '15分钟覆盖率', col_range: '户数范围', col_staff: '网格长',
    range_low: '偏少', range_high: '偏多', rangeOk: '正常',
    pageOf: '第{0}–{1}条，共{2}条', prevPage: '上一页', nextPage: '下一页', tableLoading: '正在读取网格表…',
    tableFailed: '网格表读取失败：{0}', tableEmpty: '没有符合条件的网格',
    exportFormat: '导出格式', exportTable: '导出表格', exportSelection: '导出所选', exportGaps: '导出覆盖缺口',
    exporting: '正在导出…', exported: '已下载 {0}', exportFailed: '导出失败：{0}', exportNoSelection: '请先在地图或表格中选择网格或区域',
    fmt_geojson: 'GeoJSON', fmt_csv: 'CSV（Excel）', fmt_shp: 'Shapefile',
    printButton: '打印', printButtonTitle: '打印或另存为 PDF（含图例、比例尺、指北针）',
    printDate: '打印日期：{0}', dataVersion: '数据版本：{0}', northArrow: '北', printLegend: '图例',
    measureDistance: '测量距离', measureArea: '测量面积', measureHint: '在地图上点击添加点，双击或回车结束，Esc 取消',
    distanceResult: '距离 {0}', areaResult: '面积 {0}', measureClear: '清除测量',
    whatifCompare: '假设站点比较', whatifKeep: '加入比较', whatifRemove: '移除', whatifUnit: '{0}：{1} → {2}',
    whatifCity: '全市：{0} → {1}', whatifGain: '新增覆盖 {0} 户', suggestButton: '建议新站点', suggestTitle: '建议的新站点（按新增覆盖户数）',
    suggestFor: '范围：{0}', suggestFailed: '建议失败：{0}', suggestLoading: '正在计算建议站点…',
    suggestAfter: '加入{0}个站点后覆盖率 {1} → {2}', suggestSite: '第{0}处：新增 {1} 户',
  },
  en: {
    tableToggle: 'Grid table', tableToggleTitle: 'Every grid in a table: sort, filter, export',
    tableLabel: 'Grid table', tableFilter: 'Filter by code, name, community, subdistrict…', tableFilterLabel: 'Filter',
    hhMin: 'Households ≥', hhMax: 'Households ≤', covBelow: 'Coverage below (%)', outOfRangeOnly: 'Only grids outside {0}-{1} households',
    col_code: 'Grid code', col_name: 'Name', col_district: 'District', col_subdist: 'Subdistrict', col_community: 'Community',
    col_households: 'Households', col_buildings: 'Buildings', col_coverage: '15-min coverage', col_range: 'Household range', col_staff: 'Grid head',
    range_low: 'low', range_high: 'high', rangeOk: 'ok',
    pageOf: '{0}–{1} of {2}', prevPage: 'Previous page', nextPage: 'Next page', tableLoading: 'Loading the grid table…',
    tableFailed: 'The grid table failed: {0}', tableEmpty: 'No grid matches',
    exportFormat: 'Export format', exportTable: 'Export table', exportSelection: 'Export selection', exportGaps: 'Export coverage gaps',
    exporting: 'Exporting…', exported: 'Downloaded {0}', exportFailed: 'Export failed: {0}', exportNoSelection: 'Select a grid or unit on the map or in the table first',
    fmt_geojson: 'GeoJSON', fmt_csv: 'CSV (Excel)', fmt_shp: 'Shapefile',
    printButton: 'Print', printButtonTitle: 'Print or save as PDF (with legend, scale bar and north arrow)',
    printDate: 'Printed {0}', dataVersion: 'Data version {0}', northArrow: 'N', printLegend: 'Legend',
    measureDistance: 'Measure distance', measureArea: 'Measure area', measureHint: 'Click the map to add points; double-click or Enter to finish, Esc to cancel',
    distanceResult: 'Distance {0}', areaResult: 'Area {0}', measureClear: 'Clear measurement',
    whatifCompare: 'What-if comparison', whatifKeep: 'Add to comparison', whatifRemove: 'Remove', whatifUnit: '{0}: {1} → {2}',
    whatifCity: 'City: {0} → {1}', whatifGain: '{0} households newly covered', suggestButton: 'Suggest new sites', suggestTitle: 'Suggested new sites (by households newly covered)',
    suggestFor: 'For: {0}', suggestFailed: 'Suggestion failed: {0}', suggestLoading: 'Working out suggested sites…',
    suggestAfter: 'With {0} sites coverage goes {1} → {2}', suggestSite: 'Site {0}: {1} households newly covered',
  },
};

/** MAPLIBRE_LOCALE is MapLibre's own control text (zoom, compass,
 *  attribution, full screen...) by language, for its locale option. */
export const MAPLIBRE_LOCALE = {
  zh: {
    'AttributionControl.ToggleAttribution': '显示或隐藏数据来源', 'AttributionControl.MapFeedback': '地图反馈',
    'FullscreenControl.Enter': '全屏', 'FullscreenControl.Exit': '退出全屏',
    'GeolocateControl.FindMyLocation': '我的位置', 'GeolocateControl.LocationNotAvailable': '无法定位',
    'LogoControl.Title': '地图程序库', 'Map.Title': '地图', 'Marker.Title': '标记', 'Popup.Close': '关闭',
    'NavigationControl.ResetBearing': '指北（重置方向）', 'NavigationControl.ZoomIn': '放大', 'NavigationControl.ZoomOut': '缩小',
    'ScaleControl.Feet': '英尺', 'ScaleControl.Meters': '米', 'ScaleControl.Kilometers': '公里',
    'GlobeControl.Enable': '球面显示', 'GlobeControl.Disable': '平面显示',
    'TerrainControl.Enable': '显示地形', 'TerrainControl.Disable': '隐藏地形',
    'CooperativeGesturesHandler.WindowsHelpText': '按住 Ctrl 键并滚动以缩放地图', 'CooperativeGesturesHandler.MacHelpText': '按住 ⌘ 键并滚动以缩放地图',
    'CooperativeGesturesHandler.MobileHelpText': '用两根手指移动地图',
  },
  en: {
    'AttributionControl.ToggleAttribution': 'Toggle attribution', 'AttributionControl.MapFeedback': 'Map feedback',
    'FullscreenControl.Enter': 'Enter fullscreen', 'FullscreenControl.Exit': 'Exit fullscreen',
    'GeolocateControl.FindMyLocation': 'Find my location', 'GeolocateControl.LocationNotAvailable': 'Location not available',
    'LogoControl.Title': 'MapLibre logo', 'Map.Title': 'Map', 'Marker.Title': 'Map marker', 'Popup.Close': 'Close popup',
    'NavigationControl.ResetBearing': 'Drag to rotate map, click to reset north', 'NavigationControl.ZoomIn': 'Zoom in', 'NavigationControl.ZoomOut': 'Zoom out',
    'ScaleControl.Feet': 'ft', 'ScaleControl.Meters': 'm', 'ScaleControl.Kilometers': 'km',
    'GlobeControl.Enable': 'Enable globe', 'GlobeControl.Disable': 'Disable globe',
    'TerrainControl.Enable': 'Enable terrain', 'TerrainControl.Disable': 'Disable terrain',
    'CooperativeGesturesHandler.WindowsHelpText': 'Use Ctrl + scroll to zoom the map', 'CooperativeGesturesHandler.MacHelpText': 'Use ⌘ + scroll to zoom the map',
    'CooperativeGesturesHandler.MobileHelpText': 'Use two fingers to move the map',
  },
};

addMessages(HEAD_MESSAGES);

export { lang, t, translatePage } from '../i18n.js';
