// Labels of the phone's home page and outbox: [中文, English]. Terms follow ../shared/GLOSSARY.md.
import type { Messages } from '../types'

export const messages = {
  'm.home': ['首页', 'Home'],
  'm.households': ['户', 'Households'],
  'm.people': ['人', 'People'],
  'm.openTasks': ['待办事件', 'Open tasks'],
  'm.colors': ['红黄绿人员', 'People by colour'],
  'm.colorsNote': ['按人员颜色统计（红：重点关注）', 'People by risk colour (red: close watch)'],
} as const satisfies Messages
