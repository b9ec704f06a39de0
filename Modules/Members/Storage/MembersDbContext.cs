using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DangVu.Modules.Members.Storage;

/// <summary>The Members module's storage. Every table holds replicated records; the migrations mirror this model.</summary>
internal sealed class MembersDbContext(DbContextOptions<MembersDbContext> options) : ModuleDbContext(options)
{
    /// <summary>The covering index of the statistics (migration 20261201200000): organisation, status, then what they group by.</summary>
    public const string StatisticsIndex = "IX_members_Statistics";

    public static readonly string[] StatisticsColumns =
        ["OwnerOrgUnitId", "Status", "Gender", "EthnicityCode", "ReligionCode", "GeneralEducation", "TheoryLevel", "DateOfBirth", "AdmissionDate"];

    /// <summary>The temporary-transfer index holds only the members on one (migration 20261201220000).</summary>
    public const string TemporaryFilter = "\"TemporaryOrgUnitId\" IS NOT NULL";

    public DbSet<Member> Members => Set<Member>();
    public DbSet<HistoryEntry> History => Set<HistoryEntry>();
    public DbSet<TransferLetterRecord> Transfers => Set<TransferLetterRecord>();
    public DbSet<HandoverRecord> Handovers => Set<HandoverRecord>();
    public DbSet<DisciplineRecord> Disciplines => Set<DisciplineRecord>();
    public DbSet<BadgeAward> Badges => Set<BadgeAward>();
    public DbSet<DuesBasisRecord> DuesBases => Set<DuesBasisRecord>();
    public DbSet<HardshipReduction> HardshipReductions => Set<HardshipReduction>();
    public DbSet<DuesPayment> DuesPayments => Set<DuesPayment>();
    public DbSet<RulePackRecord> RulePacks => Set<RulePackRecord>();
    public DbSet<MemberAccountLink> AccountLinks => Set<MemberAccountLink>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        if (Schema is not null)
        {
            modelBuilder.HasPostgresExtension("pg_trgm");
        }

        modelBuilder.Entity<Member>(b =>
        {
            b.ToTable(MembersTables.Members);
            b.Property(m => m.FullName).HasMaxLength(100);
            b.Property(m => m.OtherNames).HasMaxLength(200);
            b.Property(m => m.SearchName).HasMaxLength(320);
            b.Property(m => m.SortName).HasMaxLength(220);
            b.Property(m => m.PlaceOfBirth).HasMaxLength(200);
            b.Property(m => m.Hometown).HasMaxLength(200);
            b.Property(m => m.EthnicityCode).HasMaxLength(4);
            b.Property(m => m.ReligionCode).HasMaxLength(4);
            b.Property(m => m.CitizenId).HasMaxLength(12);
            b.Property(m => m.FileNumber).HasMaxLength(20);
            b.Property(m => m.CardNumber).HasMaxLength(20);
            b.Property(m => m.GeneralEducation).HasMaxLength(50);
            b.Property(m => m.ProfessionalQualification).HasMaxLength(200);
            b.Property(m => m.Occupation).HasMaxLength(200);
            b.Property(m => m.JobTitle).HasMaxLength(200);
            b.Property(m => m.Workplace).HasMaxLength(300);
            b.Property(m => m.Phone).HasMaxLength(20);
            b.Property(m => m.Email).HasMaxLength(200);
            b.Property(m => m.Address).HasMaxLength(300);
            b.Property(m => m.AdmissionDecision).HasMaxLength(50);
            b.Property(m => m.OfficialDecision).HasMaxLength(50);
            b.Property(m => m.TransferToOrgCode).HasMaxLength(64);
            b.Property(m => m.ImportedBy).HasMaxLength(128);
            b.HasIndex(m => m.CitizenId).IsUnique();
            b.HasIndex(m => m.FileNumber).IsUnique();
            b.HasIndex(m => m.CardNumber).IsUnique();
            // Substring search reads the distinct names of MembersSearchIndex (outside the model), then this index.
            b.HasIndex(m => m.SortName);
            b.HasIndex(StatisticsColumns, StatisticsIndex);
            // Members on a temporary transfer are few: with this index the visibility filter (owner or temporary
            // organisation) seeks both indexes instead of reading every member.
            b.HasIndex(m => m.TemporaryOrgUnitId).HasFilter(TemporaryFilter);
        });

        modelBuilder.Entity<HistoryEntry>(b =>
        {
            b.ToTable(MembersTables.History);
            b.Property(h => h.Actor).HasMaxLength(200);
            b.Property(h => h.Action).HasMaxLength(50);
            b.Property(h => h.Summary).HasMaxLength(500);
            b.Property(h => h.Reason).HasMaxLength(1000);
            b.HasIndex(h => h.MemberId);
        });

        modelBuilder.Entity<TransferLetterRecord>(b =>
        {
            b.ToTable(MembersTables.Transfers);
            b.Property(t => t.LetterNumber).HasMaxLength(50);
            b.Property(t => t.Reason).HasMaxLength(1000);
            b.HasIndex(t => t.MemberId);
            b.HasIndex(t => new { t.State, t.ToOrgUnitId });
            b.Property(t => t.FromOrgCode).HasMaxLength(64);
            b.Property(t => t.ToOrgCode).HasMaxLength(64);
        });

        modelBuilder.Entity<HandoverRecord>(b =>
        {
            b.ToTable(MembersTables.Handovers);
            b.Property(h => h.FromNode).HasMaxLength(64);
            b.Property(h => h.ToNode).HasMaxLength(64);
            b.Property(h => h.FromOrgCode).HasMaxLength(64);
            b.Property(h => h.ToOrgCode).HasMaxLength(64);
            b.HasIndex(h => h.LetterId).IsUnique();
            b.HasIndex(h => h.MemberId);
        });

        modelBuilder.Entity<DisciplineRecord>(b =>
        {
            b.ToTable(MembersTables.Disciplines);
            b.Property(d => d.DecisionNumber).HasMaxLength(50);
            b.Property(d => d.IssuedBy).HasMaxLength(200);
            b.Property(d => d.Reason).HasMaxLength(1000);
            b.HasIndex(d => d.MemberId);
        });

        modelBuilder.Entity<BadgeAward>(b =>
        {
            b.ToTable(MembersTables.Badges);
            b.Property(d => d.DecisionNumber).HasMaxLength(50);
            b.HasIndex(d => new { d.MemberId, d.Years }).IsUnique();
        });

        modelBuilder.Entity<DuesBasisRecord>(b =>
        {
            b.ToTable(MembersTables.DuesBases);
            b.HasIndex(d => new { d.MemberId, d.FromPeriod }).IsUnique();
        });

        modelBuilder.Entity<HardshipReduction>(b =>
        {
            b.ToTable(MembersTables.HardshipReductions);
            b.Property(d => d.DecisionNumber).HasMaxLength(50);
            b.Property(d => d.Reason).HasMaxLength(1000);
            b.HasIndex(d => d.MemberId);
        });

        modelBuilder.Entity<DuesPayment>(b =>
        {
            b.ToTable(MembersTables.DuesPayments);
            b.HasIndex(d => new { d.MemberId, d.Period }).IsUnique();
            b.HasIndex(d => d.Period);
        });

        modelBuilder.Entity<RulePackRecord>(b =>
        {
            b.ToTable(MembersTables.RulePacks);
            b.Property(r => r.Name).HasMaxLength(200);
            b.Property(r => r.SourceDocument).HasMaxLength(200);
            b.HasIndex(r => r.ValidFrom).IsUnique();
        });

        // Node-local, not replicated: accounts belong to this node.
        modelBuilder.Entity<MemberAccountLink>(b =>
        {
            b.ToTable(MembersTables.AccountLinks);
            b.HasKey(l => l.MemberId);
            b.Property(l => l.UserName).HasMaxLength(MemberAccountLink.MaxUserName);
            b.Property(l => l.LinkedBy).HasMaxLength(200);
            b.HasIndex(l => l.UserName).IsUnique();
        });
    }
}

internal static class MembersTables
{
    public const string Members = "members";
    public const string History = "member_history";
    public const string Transfers = "member_transfers";
    public const string Handovers = "member_handovers";
    public const string Disciplines = "member_disciplines";
    public const string Badges = "member_badges";
    public const string DuesBases = "member_dues_bases";
    public const string HardshipReductions = "member_dues_reductions";
    public const string DuesPayments = "member_dues_payments";
    public const string RulePacks = "member_rule_packs";
    public const string AccountLinks = "member_account_links";
}
