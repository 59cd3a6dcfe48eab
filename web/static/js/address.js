// @ts-check
// address.js: when the search box holds an address. /v1/search knows codes
// and names of units and grids; an address goes to /v1/geocode, whose best
// building match and alternatives join the result list.

// Words of the part of an address below the community: road, number,
// estate, building, unit. 街道 (a subdistrict) is a unit name, not a street.
const ADDRESS_WORDS = /[路街巷弄道号栋幢座]|单元|小区|花园|大厦|公寓|[0-9０-９一二三四五六七八九十]+\s*(号|栋|幢|单元|楼)/;

const UNIT_END = /(社区|网格|居委会|委员会|[区镇乡村])$/;

/** looksLikeAddress reports whether a query reads as a street address
 *  rather than a code or a unit's name. */
export function looksLikeAddress(q) {
  const s = q.trim().replace(/街道/g, '');
  if (s.length < 3 || /^\d+$/.test(s)) return false;
  // A unit's name ("康乐南路社区") names a road but is no address.
  if (UNIT_END.test(s) && !/[号栋幢]|单元/.test(s)) return false;
  return ADDRESS_WORDS.test(s);
}

/** isDecisive reports whether /v1/search results answer the query alone:
 *  some code or name matches exactly or as a prefix. */
export function isDecisive(results) {
  return results.some((r) => r.match === 'exact' || r.match === 'prefix');
}

/** wantsGeocode says whether a query with these search results should
 *  also be geocoded. */
export function wantsGeocode(q, results) {
  return looksLikeAddress(q) || !isDecisive(results);
}

function toResult(m, best) {
  return {
    kind: 'address',
    best,
    building: m.building,
    name: m.standard_address,
    point: m.point,
    confidence: m.confidence,
    reason: m.reason,
    grid: m.grid,
    community: m.community,
    subdistrict: m.subdistrict,
    district: m.district,
  };
}

/** addressResults turns a /v1/geocode answer into search results: the best
 *  match, then the alternatives, each a building with a grid. Matches
 *  without a building (a bare district, say) are left out: the unit search
 *  finds those by name. */
export function addressResults(body) {
  const usable = (m) => m && m.building && Array.isArray(m.point) && m.grid?.code;
  const out = [];
  if (usable(body?.best) && body.best.confidence > 0) out.push(toResult(body.best, true));
  for (const m of body?.alternatives || []) {
    if (usable(m) && !out.some((r) => r.building === m.building)) out.push(toResult(m, false));
  }
  return out;
}

/** mergeResults orders unit and address results: addresses first when no
 *  unit matches exactly and the query reads as an address or the units are
 *  no decisive answer. */
export function mergeResults(q, units, addresses, limit) {
  const exact = units.some((r) => r.match === 'exact');
  const addressFirst = !exact && (looksLikeAddress(q) || !isDecisive(units));
  return (addressFirst ? [...addresses, ...units] : [...units, ...addresses]).slice(0, limit);
}

/** shortAddress drops the province and city a standard address starts with. */
export function shortAddress(address) {
  return (address || '').replace(/^贵州省?/, '').replace(/^六盘水市?/, '');
}
