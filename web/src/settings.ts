// Browser-side settings an operator may change (kept in localStorage).
// tileUrl: the base-map tile URL template for Leaflet ({z}/{x}/{y}), e.g. a Tianditu or OSM
// server; empty by default so that maps work with no network beyond the wangge server.
export function tileUrl(): string {
  return localStorage.getItem('wangge.tileUrl') ?? ''
}
export function setTileUrl(url: string): void {
  if (url.trim()) localStorage.setItem('wangge.tileUrl', url.trim())
  else localStorage.removeItem('wangge.tileUrl')
}
