/** Passwords of the generated databases' staff (bx001-clerk, big001-cashier, …) and of `admin`: test data only. */
export const BENCH_PASSWORD = 'bench-password'
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password'
