// Why a settings page shows no form: the role the API wants for the write, and the caller's own.
import type { Role } from '@/lib/roles'

export function ReadOnly({ what, needs, role }: { what: string; needs: Role; role: Role }) {
  return (
    <p
      data-testid="read-only"
      className="rounded border border-gray-200 bg-gray-50 p-3 text-sm text-gray-800"
    >
      Read only: {what} needs the {needs} role or higher; you are {role}.
    </p>
  )
}
