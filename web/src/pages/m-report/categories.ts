// The event categories, cached on the phone so a report can be written with no network.
import { events, type Category } from '../../api'

const KEY = 'wangge.categories'

export function cachedCategories(): Category[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as Category[]
  } catch {
    return []
  }
}

export async function cacheCategories(): Promise<Category[]> {
  try {
    const list = await events.categories()
    localStorage.setItem(KEY, JSON.stringify(list))
    return list
  } catch {
    return cachedCategories()
  }
}
