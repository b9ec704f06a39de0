using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Platform;

/// <summary>Core's own storage (id <c>core</c>): organisations, accounts, roles and grants, the working calendar.</summary>
internal sealed class CoreDbContext(DbContextOptions<CoreDbContext> options) : ModuleDbContext(options)
{
    public const string StorageId = "core";

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();

    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<Role> Roles => Set<Role>();

    public DbSet<RolePermission> RolePermissions => Set<RolePermission>();

    public DbSet<RoleGrant> Grants => Set<RoleGrant>();

    public DbSet<KnownPermission> KnownPermissions => Set<KnownPermission>();

    public DbSet<CalendarDayRecord> CalendarDays => Set<CalendarDayRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<OrgUnit>(b =>
        {
            b.ToTable("org_units");
            b.Property(o => o.Code).HasMaxLength(64);
            b.Property(o => o.NameVi).HasMaxLength(256);
            b.HasIndex(o => o.Code).IsUnique();
            b.HasIndex(o => o.ParentId);
        });
        modelBuilder.Entity<UserAccount>(b =>
        {
            b.ToTable("users");
            b.HasKey(u => u.Id);
            b.Property(u => u.UserName).HasMaxLength(64);
            b.Property(u => u.DisplayName).HasMaxLength(128);
            b.Property(u => u.PasswordHash).HasMaxLength(256);
            b.Property(u => u.TotpSecret).HasMaxLength(64);
            b.Property(u => u.SecurityStamp).HasMaxLength(64);
            b.Property(u => u.Version).IsConcurrencyToken();
            b.HasIndex(u => u.UserName).IsUnique();
        });
        modelBuilder.Entity<Role>(b =>
        {
            b.ToTable("roles");
            b.HasKey(r => r.Code);
            b.Property(r => r.Code).HasMaxLength(64);
            b.Property(r => r.NameVi).HasMaxLength(128);
            b.Property(r => r.NameEn).HasMaxLength(128);
        });
        modelBuilder.Entity<RolePermission>(b =>
        {
            b.ToTable("role_permissions");
            b.HasKey(p => new { p.RoleCode, p.Permission });
            b.Property(p => p.RoleCode).HasMaxLength(64);
            b.Property(p => p.Permission).HasMaxLength(128);
        });
        modelBuilder.Entity<RoleGrant>(b =>
        {
            b.ToTable("role_grants");
            b.HasKey(g => g.Id);
            b.Property(g => g.RoleCode).HasMaxLength(64);
            b.HasIndex(g => new { g.UserId, g.RoleCode, g.OrgUnitId }).IsUnique();
        });
        modelBuilder.Entity<KnownPermission>(b =>
        {
            b.ToTable("known_permissions");
            b.HasKey(p => p.Name);
            b.Property(p => p.Name).HasMaxLength(128);
        });
        modelBuilder.Entity<CalendarDayRecord>(b =>
        {
            b.ToTable("calendar_days");
            b.HasKey(d => d.Date);
            b.Property(d => d.Name).HasMaxLength(128);
        });
    }
}
