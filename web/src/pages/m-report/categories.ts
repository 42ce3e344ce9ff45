// The event categories, from the phone's working set (src/offline/workset.ts), so that a report
// can be written with no network.
import type { Category } from '../../api'
import { read } from '../../offline/workset'

export async function cachedCategories(): Promise<Category[]> {
  return (await read('categories')) ?? []
}
