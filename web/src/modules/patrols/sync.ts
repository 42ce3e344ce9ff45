// The outbox handler of a patrol entry (看听问记报): POST /api/v1/patrols with the photos' ids.
import { patrols, type PatrolInput } from '../../api'
import type { SyncHandler } from '../types'

export const sendPatrol: SyncHandler = async (item, attachments) => {
  await patrols.create({ ...(item.payload as unknown as PatrolInput), attachments }, item.key)
}
