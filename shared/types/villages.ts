/** A village as the API answers it (server/villages, read by the web app). */
export interface Village {
  id: string
  code: string
  name: string
  timezone: string
  noticeDays: number
  requiredApprovals: number
  annualReset: string | null
  maskNames: boolean
  offlineAllowance: number
}
