// The labels of both apps: [中文, English]. Terms follow ../shared/GLOSSARY.md. Those of the
// shell (login, password, the org navigator, the phone's bar and outbox, shared vocabulary) are
// here; each module brings its own (src/modules/<name>/messages.ts), merged below.
import { modules } from '../modules'
import type { WebModule } from '../modules/types'

const shell = {
  'app.title': ['网格化基层治理平台', 'Grid governance console'],

  'common.back': ['返回', 'Back'],
  'common.cancel': ['取消', 'Cancel'],
  'common.confirm': ['确定', 'Confirm'],
  'common.none': ['暂无', 'None'],
  'common.refresh': ['刷新', 'Refresh'],
  'common.save': ['保存', 'Save'],
  'common.search': ['查询', 'Search'],

  'nav.password': ['修改密码', 'Change password'],
  'nav.logout': ['退出登录', 'Log out'],

  'org.navigator': ['组织机构', 'Organisations'],

  'login.username': ['账号', 'Username'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Log in'],

  'password.title': ['修改密码', 'Change password'],
  'password.forced': ['首次登录须修改初始密码', 'Change your initial password before going on'],
  'password.old': ['原密码', 'Current password'],
  'password.new': ['新密码', 'New password'],
  'password.repeat': ['再次输入新密码', 'Repeat the new password'],
  'password.rule': ['至少8位，包含大小写字母、数字和符号中的三类', 'At least 8 characters from three of: upper case, lower case, digits, symbols'],
  'password.mismatch': ['两次输入的新密码不一致', 'The two new passwords differ'],
  'password.changed': ['密码已修改', 'Password changed'],

  'level.1': ['网格', 'Grid'],
  'level.2': ['村（社区）', 'Village'],
  'level.3': ['乡镇（街道）', 'Township'],
  'level.4': ['县（市、区）', 'County'],
  'level.5': ['市', 'City'],

  'color.red': ['红', 'Red'],
  'color.yellow': ['黄', 'Yellow'],
  'color.green': ['绿', 'Green'],

  'm.title': ['网格员', 'Grid worker'],
  'm.online': ['在线', 'Online'],
  'm.offline': ['离线', 'Offline'],
  'm.offlineNote': ['当前无网络：上报和巡查记录先保存在手机上，联网后自动发送。', 'No network: reports and patrol entries are kept on the phone and sent when it returns.'],
  'm.queuedN': ['待发送 {n} 条', '{n} queued'],
  'm.queuedBanner': ['有 {n} 条记录等待发送，点此查看', '{n} items wait to be sent: tap to see them'],
  'm.queue': ['待发送', 'Outbox'],
  'm.queueEmpty': ['全部已发送', 'Everything has been sent'],
  'm.queueNote': ['先保存在手机上，有网络时自动发送，不会重复上报。', 'Kept on the phone first and sent when online, never twice.'],
  'm.queuedOffline': ['已保存在手机上，联网后自动发送', 'Saved on the phone; it will be sent when online'],
  'm.sending': ['正在发送…', 'Sending…'],
  'm.sendNow': ['立即发送', 'Send now'],
  'm.sent': ['已发送', 'Sent'],
  'm.retry': ['重试', 'Retry'],
  'm.delete': ['删除', 'Delete'],
  'm.confirmDelete': ['删除这条未发送的记录？', 'Delete this unsent item?'],
  'm.attempts': ['已尝试 {n} 次', '{n} attempts'],
  'm.photos': ['现场照片（拍照）', 'Photos (camera)'],
  'm.photosN': ['{n} 张照片', '{n} photos'],
  // The phone app installed and offline (issue 22): one block, to merge easily.
  'm.lastSync': ['数据更新于 {at}', 'Data as of {at}'],
  'm.neverSynced': ['尚未下载网格数据（联网后自动下载）', 'No grid data on the phone yet (downloaded when online)'],
  'm.logoutQueued': ['还有 {n} 条记录未发送，退出登录会删除它们。确定退出？', '{n} items are not sent yet and will be deleted. Log out anyway?'],
  'm.offlineCopy': ['离线，显示手机上保存的数据', 'Offline: showing the data kept on the phone'],
  'm.reported': ['已上报，事件编号 #{id}', 'Reported: event #{id}'],
  'm.savedOnPhone': ['已保存在手机（共 {n} 条待发送）', 'Saved on the phone ({n} waiting to be sent)'],
  'm.openEvent': ['查看事件 #{id}', 'Open event #{id}'],
  'm.titleAuto': ['不填则用“类别·地点”', 'Left empty: “category · place”'],
  'm.needCategory': ['请选择类别', 'Choose a category'],
  'm.patrolSent': ['巡查记录已发送', 'Patrol entry sent'],
  'm.householdsN': ['{n} 户', '{n} households'],
  'm.updateReady': ['新版本已下载，下次打开时生效', 'A new version is ready: it will be used the next time the app opens'],
} as const satisfies Record<string, readonly [string, string]>

type ModuleKey<T> = T extends WebModule<infer M> ? keyof M & string : never
export type MessageKey = keyof typeof shell | ModuleKey<(typeof modules)[number]>

/** Every label, the shell's and the modules'; a key defined twice is an error at start. */
export const messages: Record<MessageKey, readonly [string, string]> = (() => {
  const all: Record<string, readonly [string, string]> = { ...shell }
  for (const m of modules) {
    for (const [k, v] of Object.entries(m.messages)) {
      if (k in all) throw new Error(`i18n: message ${k} of module ${m.name} is defined twice`)
      all[k] = v
    }
  }
  return all as Record<MessageKey, readonly [string, string]>
})()
