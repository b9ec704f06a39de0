using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Tests.Support;

/// <summary>A module's storage written the way a module writes it: records, context and a hand-written migration.</summary>
[RecordType("ledger.entry")]
public sealed class LedgerEntry : ReplicatedRecord
{
    public string Title { get; set; } = "";

    public long Amount { get; set; }
}

public sealed class LedgerDbContext(DbContextOptions<LedgerDbContext> options) : ModuleDbContext(options)
{
    public DbSet<LedgerEntry> Entries => Set<LedgerEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<LedgerEntry>(b =>
        {
            b.ToTable("ledger_entries");
            b.Property(e => e.Title).HasMaxLength(100);
            b.HasIndex(e => e.Title).IsUnique();
        });
    }
}

[DbContext(typeof(LedgerDbContext))]
[Migration("20261123000000_Initial")]
public sealed class LedgerInitial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);
        migrationBuilder.CreateTable(
            name: "ledger_entries",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Title = table.Column<string>(maxLength: 100, nullable: false),
                Amount = table.Column<long>(nullable: false),
                OwnerOrgUnitId = table.Column<Guid>(nullable: false),
                OriginNode = table.Column<string>(maxLength: 64, nullable: false),
                Version = table.Column<long>(nullable: false),
                Classification = table.Column<int>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ledger_entries", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_ledger_entries_Title",
            schema: Schema,
            table: "ledger_entries",
            column: "Title",
            unique: true);
    }
}

/// <summary>A second module that keeps what it heard from the ledger.</summary>
public sealed class HeardEntry
{
    public long Id { get; set; }

    public string EntryId { get; set; } = "";

    public long Amount { get; set; }
}

public sealed class ListenerDbContext(DbContextOptions<ListenerDbContext> options) : ModuleDbContext(options)
{
    public DbSet<HeardEntry> Heard => Set<HeardEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<HeardEntry>(b =>
        {
            b.ToTable("heard_entries");
            b.Property(e => e.EntryId).HasMaxLength(64);
        });
    }
}

[DbContext(typeof(ListenerDbContext))]
[Migration("20261123000000_Initial")]
public sealed class ListenerInitial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);
        migrationBuilder.CreateTable(
            name: "heard_entries",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).AutoIncrement(),
                EntryId = table.Column<string>(maxLength: 64, nullable: false),
                Amount = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_heard_entries", x => x.Id));
    }
}
