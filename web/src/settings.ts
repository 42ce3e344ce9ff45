// Browser-side settings an operator may change (kept in localStorage), over the server's.
// tileUrl: the base-map tile URL template for Leaflet ({z}/{x}/{y}), e.g. a Tianditu or OSM
// server; empty by default so that maps work with no network beyond the wangge server.
import { orgs } from './api'

export function tileUrl(): string {
  return localStorage.getItem('wangge.tileUrl') ?? ''
}
export function setTileUrl(url: string): void {
  if (url.trim()) localStorage.setItem('wangge.tileUrl', url.trim())
  else localStorage.removeItem('wangge.tileUrl')
}

export interface BaseMap {
  url: string
  attribution: string
}

let serverMap: Promise<BaseMap> | undefined

/** The base map to draw: this browser's own tile URL when set, else the server's ([map] of
 * its config, asked once); none (url '') when neither names one or the server cannot say. */
export async function baseMap(): Promise<BaseMap> {
  const own = tileUrl()
  if (own) return { url: own, attribution: '' }
  serverMap ??= orgs
    .map()
    .then((m) => ({ url: m.tile_url, attribution: m.attribution }))
    .catch(() => {
      serverMap = undefined // asked again next time (signed out, offline)
      return { url: '', attribution: '' }
    })
  return serverMap
}
