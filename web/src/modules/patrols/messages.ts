// Labels of the patrol log (巡查: 看听问记报): [中文, English]. Terms follow ../shared/GLOSSARY.md.
import type { Messages } from '../types'

export const messages = {
  'm.patrol': ['巡查', 'Patrol'],
  'm.patrolLog': ['巡查日志（看听问记报）', 'Patrol log (look, listen, ask, record, report)'],

  'patrol.intro': ['看：看环境和隐患；听：听群众反映；问：问困难和需求；记：记录走访情况；报：需要处理的问题及时上报。', 'Look at hazards, listen to residents, ask about needs, record the visit, report what needs handling.'],
  'patrol.look': ['看', 'Look'],
  'patrol.listen': ['听', 'Listen'],
  'patrol.ask': ['问', 'Ask'],
  'patrol.record': ['记', 'Record'],
  'patrol.report': ['报', 'Report'],
  'patrol.lookHint': ['看到的环境、设施、隐患', 'Surroundings, facilities, hazards seen'],
  'patrol.listenHint': ['听到的群众反映', 'What residents said'],
  'patrol.askHint': ['询问的困难和需求', 'Needs and difficulties asked about'],
  'patrol.recordHint': ['走访记录', 'Notes of the visit'],
  'patrol.reportHint': ['需要上报处理的问题', 'Problems to report for handling'],
  'patrol.visited': ['走访户数', 'Households visited'],
  'patrol.visitedN': ['走访 {n} 户', '{n} households visited'],
  'patrol.save': ['保存巡查记录', 'Save patrol entry'],
  'patrol.saved': ['巡查记录已保存，将随待发送队列发送', 'Patrol entry saved; it goes out with the outbox'],
  'patrol.toEvent': ['发现问题？上报事件', 'Found a problem? Report an event'],
  'patrol.history': ['本机巡查记录', 'Patrol entries on this phone'],
  'patrol.empty': ['请至少填写一项', 'Fill in at least one step'],
} as const satisfies Messages
