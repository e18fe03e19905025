import { Navigate } from '@solidjs/router'
import { type JSX, Show } from 'solid-js'
import { t } from '../i18n'
import { currentUser, hasRole, type Role } from '../session'
import { Message } from '../ui/Message'

export function RequireLogin(props: { children: JSX.Element }) {
  return (
    <Show when={currentUser()} fallback={<Navigate href="/login" />}>
      {props.children}
    </Show>
  )
}

/** A page for some roles only; others see why, not a blank page. */
export function RequireRole(props: { roles: Role[]; children: JSX.Element }) {
  return (
    <Show when={hasRole(...props.roles)} fallback={<Message kind="error">{t('error.FORBIDDEN')}</Message>}>
      {props.children}
    </Show>
  )
}
