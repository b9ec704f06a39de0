using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Modules;
using DangVu.Core.Platform;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Authorization;

/// <summary>
/// At start-up: the built-in roles exist, every permission declared for the first time (by
/// Core or a newly installed module) is given to the built-in roles that get it by default, and
/// a new installation's working calendar holds the statutory days off it ships with.
/// </summary>
internal sealed class PlatformSeeder(CoreDbContext db, ModuleRegistry registry, CalendarImporter calendar)
{
    public static readonly PermissionDefinition[] CorePermissionDefinitions =
    [
        new(CorePermissions.ReadClassified, "Đọc tài liệu, hồ sơ mật", "Read classified records"),
        new(CorePermissions.ManageUsers, "Quản lý tài khoản và phân quyền", "Manage users and grants"),
        new(CorePermissions.ManageOrganisations, "Quản lý cây tổ chức", "Manage the organisation tree"),
        new(CorePermissions.ReadAudit, "Xem nhật ký kiểm toán", "Read the audit log"),
        new(CorePermissions.ManageModules, "Quản lý mô-đun", "Manage modules"),
        new(CorePermissions.ManageFederation, "Quản lý liên kết nút", "Manage federation links"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        using var _ = Actor.Use(Actor.System);
        var roles = await db.Roles.Select(r => r.Code).ToListAsync(cancellationToken);
        foreach (var (code, vi, en) in BuiltInRoles.All.Where(r => !roles.Contains(r.Code)))
        {
            db.Roles.Add(new Role { Code = code, NameVi = vi, NameEn = en, BuiltIn = true });
            if (code == BuiltInRoles.Administrator)
            {
                db.RolePermissions.Add(new RolePermission { RoleCode = code, Permission = "*" });
            }
        }

        var known = (await db.KnownPermissions.Select(k => k.Name).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var permission in CorePermissionDefinitions.Concat(registry.Permissions).Select(p => p.Name).Distinct().Where(p => !known.Contains(p)))
        {
            db.KnownPermissions.Add(new KnownPermission { Name = permission });
            foreach (var (code, _, _) in BuiltInRoles.All.Where(r => BuiltInRoles.GetsByDefault(r.Code, permission)))
            {
                db.RolePermissions.Add(new RolePermission { RoleCode = code, Permission = permission });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (!await db.CalendarDays.AnyAsync(cancellationToken))
        {
            using var shipped = new StreamReader(typeof(PlatformSeeder).Assembly.GetManifestResourceStream("DangVu.Core.vn-working-calendar.csv")!);
            await calendar.ImportAsync(shipped, cancellationToken);
        }
    }
}
