// The closed loop's vocabulary as the pages offer it (DESIGN §5); the server decides what is
// allowed, these are only the choices and their order.
export const STATES = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'closed', 'returned', 'reopened', 'cancelled'] as const
export const LEVELS = [1, 2, 3, 4, 5] as const
export const OPEN_STATES = new Set(['reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'reopened'])
/** Actions that need a note (reason), per the events service contract. */
export const NOTE_ACTIONS = new Set(['verify_fail', 'return', 'escalate', 'cancel', 'extend', 'resolve', 'resolve_part'])
