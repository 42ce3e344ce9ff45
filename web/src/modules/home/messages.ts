// Labels of the phone's home page and outbox: [中文, English]. Terms follow ../shared/GLOSSARY.md.
import type { Messages } from '../types'

export const messages = {
  'm.home': ['首页', 'Home'],
  'm.households': ['户', 'Households'],
  'm.people': ['人', 'People'],
  'm.openTasks': ['待办事件', 'Open tasks'],
  'm.colors': ['红黄绿', 'Red / yellow / green'],
  'm.colorsNote': [
    '上行按户颜色统计，下行为该颜色的人员（红：重点关注，黄：跟踪关注，绿：常态管理）',
    'Households by their colour; below, people of that colour (red: close watch, yellow: follow, green: routine)',
  ],
  'm.unitHouseholds': ['户', 'hh'],
  'm.unitPeople': ['人', 'people'],
} as const satisfies Messages
