import { z } from 'zod'
import { STAFF_ROLES } from '../platform/auth/auth.middleware'
import { EmailSchema, PasswordSchema, textField } from './members.schemas'

/** POST /v1/staff/sessions. Loose on purpose: a malformed e-mail is just a wrong one (401). */
export const StaffSignInSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(1000),
})

const RolesSchema = z
  .array(z.enum(STAFF_ROLES))
  .min(1, 'give at least one role')
  .refine((roles) => new Set(roles).size === roles.length, 'a role is listed twice')

/** POST /v1/staff/users and `npm run admin -- staff create`. */
export const CreateStaffUserSchema = z.strictObject({
  email: EmailSchema,
  name: textField(200),
  roles: RolesSchema,
  password: PasswordSchema,
})
export type CreateStaffUser = z.infer<typeof CreateStaffUserSchema>

/** PATCH /v1/staff/users/:id. */
export const UpdateStaffUserSchema = z
  .strictObject({
    name: textField(200).optional(),
    roles: RolesSchema.optional(),
    /** true disables the account (its tokens stop at once); false enables it again. */
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateStaffUser = z.infer<typeof UpdateStaffUserSchema>
