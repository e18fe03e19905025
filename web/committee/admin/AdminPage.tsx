import { createResource, createSignal, For, Show } from 'solid-js'
import { createUserInput } from '../../../shared/schemas/auth'
import { createVillageInput } from '../../../shared/schemas/villages'
import type { User } from '../../../shared/types/users'
import { users as usersApi, villages as villagesApi } from '../../api/villages'
import { t } from '../../i18n'
import { chooseVillage, type Role } from '../../session'
import { RequireRole } from '../../shell/guards'
import { FieldError, FormProblems } from '../../ui/FieldError'
import { createFieldErrors, type FieldErrorsState, numberField } from '../../ui/form'
import { Loaded } from '../../ui/Loaded'
import { ErrorMessage, Message } from '../../ui/Message'

const VILLAGE_ROLES: Role[] = ['clerk', 'approver', 'cashier', 'auditor']

/** The administrator's page: villages, and the staff of each with their roles. */
export default function AdminPage() {
  return (
    <RequireRole roles={['admin']}>
      <Admin />
    </RequireRole>
  )
}

function Admin() {
  const [villages, { refetch: refetchVillages }] = createResource(() => villagesApi.list().then((p) => p.items))
  const [users, { refetch: refetchUsers }] = createResource(() => usersApi.list().then((p) => p.items))
  const [v, setV] = createSignal({ code: '', name: '', noticeDays: '0' })
  const [u, setU] = createSignal({ username: '', password: '', villageId: '', roles: new Set<Role>() })
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal('')
  const villageFields = createFieldErrors(['code', 'name', 'noticeDays'])
  const userFields = createFieldErrors(['username', 'password', 'villageId', 'roles'])

  /** Sends the input once its shared schema passes; the server's field problems land beside the same fields. */
  async function act<T>(fields: FieldErrorsState, body: T | null, send: (body: T) => Promise<unknown>) {
    setError(null)
    setNotice('')
    if (body === null) return
    try {
      await send(body)
      setNotice(t('app.saved'))
    } catch (e) {
      fields.fromServer(e)
      setError(e)
    }
  }
  const villageName = (id: string | null) => villages()?.find((x) => x.id === id)?.name ?? ''

  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <Show when={notice()}>
        <Message kind="ok">{notice()}</Message>
      </Show>
      <ErrorMessage error={error()} fieldsShown />
      <h2>{t('admin.villages')}</h2>
      <form
        class="form card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const input = villageFields.check(createVillageInput, {
            code: v().code,
            name: v().name,
            noticeDays: numberField(v().noticeDays),
          })
          void act(villageFields, input, async (body) => {
            const created = await villagesApi.create(body)
            setV({ code: '', name: '', noticeDays: '0' })
            chooseVillage(created.id)
            void refetchVillages()
          })
        }}
      >
        <label>
          {t('admin.villageCode')}
          <input
            required
            aria-invalid={!!villageFields.of('code')}
            value={v().code}
            onInput={(e) => setV({ ...v(), code: e.currentTarget.value })}
          />
          <FieldError form={villageFields} name="code" />
        </label>
        <label>
          {t('admin.villageName')}
          <input
            required
            aria-invalid={!!villageFields.of('name')}
            value={v().name}
            onInput={(e) => setV({ ...v(), name: e.currentTarget.value })}
          />
          <FieldError form={villageFields} name="name" />
        </label>
        <label>
          {t('admin.noticeDays')}
          <input
            type="number"
            aria-invalid={!!villageFields.of('noticeDays')}
            value={v().noticeDays}
            onInput={(e) => setV({ ...v(), noticeDays: e.currentTarget.value })}
          />
          <FieldError form={villageFields} name="noticeDays" />
        </label>
        <FormProblems form={villageFields} />
        <button type="submit" class="primary">
          {t('admin.newVillage')}
        </button>
      </form>
      <Loaded resource={villages} retry={refetchVillages}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>{t('admin.villageCode')}</th>
                <th>{t('admin.villageName')}</th>
                <th class="num">{t('admin.noticeDays')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <For each={list}>
                {(x) => (
                  <tr>
                    <td>{x.code}</td>
                    <td>{x.name}</td>
                    <td class="num">{x.noticeDays}</td>
                    <td>
                      <button type="button" onClick={() => chooseVillage(x.id)}>
                        {t('village.choose')}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Loaded>

      <h2>{t('admin.users')}</h2>
      <form
        class="form card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const input = userFields.check(createUserInput, {
            username: u().username,
            password: u().password,
            roles: [...u().roles],
            villageId: u().villageId || null,
          })
          void act(userFields, input, async (body) => {
            await usersApi.create(body)
            setU({ username: '', password: '', villageId: u().villageId, roles: new Set<Role>() })
            void refetchUsers()
          })
        }}
      >
        <label>
          {t('admin.username')}
          <input
            required
            aria-invalid={!!userFields.of('username')}
            value={u().username}
            onInput={(e) => setU({ ...u(), username: e.currentTarget.value })}
          />
          <FieldError form={userFields} name="username" />
        </label>
        <label>
          {t('admin.password')}
          <input
            required
            type="password"
            aria-invalid={!!userFields.of('password')}
            value={u().password}
            onInput={(e) => setU({ ...u(), password: e.currentTarget.value })}
          />
          <FieldError form={userFields} name="password" />
        </label>
        <label>
          {t('village.choose')}
          <select required value={u().villageId} onChange={(e) => setU({ ...u(), villageId: e.currentTarget.value })}>
            <option value="" />
            <For each={villages() ?? []}>{(x) => <option value={x.id}>{x.name}</option>}</For>
          </select>
          <FieldError form={userFields} name="villageId" />
        </label>
        <fieldset style={{ border: 0, padding: 0 }}>
          <legend>
            <b>{t('admin.roles')}</b>
          </legend>
          <For each={VILLAGE_ROLES}>
            {(r) => (
              <label class="inline">
                <input
                  type="checkbox"
                  checked={u().roles.has(r)}
                  onChange={(e) => {
                    const roles = new Set(u().roles)
                    if (e.currentTarget.checked) roles.add(r)
                    else roles.delete(r)
                    setU({ ...u(), roles })
                  }}
                />
                {t(`role.${r}`)}
              </label>
            )}
          </For>
          <FieldError form={userFields} name="roles" />
        </fieldset>
        <FormProblems form={userFields} />
        <button type="submit" class="primary" disabled={u().roles.size === 0}>
          {t('admin.newUser')}
        </button>
      </form>
      <Loaded resource={users} retry={refetchUsers}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>{t('admin.username')}</th>
                <th>{t('admin.roles')}</th>
                <th>{t('admin.villageName')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={list}>
                {(x) => (
                  <tr>
                    <td>{x.username}</td>
                    <td>{x.roles.map((r) => t(`role.${r}`)).join('、')}</td>
                    <td>{villageName(x.villageId)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Loaded>
    </section>
  )
}
