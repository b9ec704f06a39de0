using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation.Storage;

/// <summary>Federation's own storage (id <c>federation</c>): links, enrolments, replicas and checkpoints.</summary>
internal sealed class FederationDbContext(DbContextOptions<FederationDbContext> options) : ModuleDbContext(options)
{
    public const string StorageId = "federation";

    public DbSet<FederationLink> Links => Set<FederationLink>();

    public DbSet<EnrolmentRecord> Enrolments => Set<EnrolmentRecord>();

    public DbSet<ReplicaRecord> Replicas => Set<ReplicaRecord>();

    public DbSet<SyncCheckpoint> Checkpoints => Set<SyncCheckpoint>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<FederationLink>(b =>
        {
            b.ToTable("fed_links");
            b.HasKey(l => l.NodeId);
            b.Property(l => l.NodeId).HasMaxLength(64);
            b.Property(l => l.Url).HasMaxLength(256);
            b.Property(l => l.Subtree).HasMaxLength(64);
            b.Property(l => l.CertificateThumbprint).HasMaxLength(64);
            b.Property(l => l.RequestId).HasMaxLength(32);
        });
        modelBuilder.Entity<EnrolmentRecord>(b =>
        {
            b.ToTable("fed_enrolments");
            b.HasKey(e => e.Id);
            b.Property(e => e.Id).HasMaxLength(32);
            b.Property(e => e.NodeId).HasMaxLength(64);
            b.Property(e => e.Owns).HasMaxLength(512);
            b.Property(e => e.Address).HasMaxLength(64);
            b.Property(e => e.Subtree).HasMaxLength(64);
            b.Property(e => e.CodeHash).HasMaxLength(64);
        });
        modelBuilder.Entity<ReplicaRecord>(b =>
        {
            b.ToTable("fed_replicas");
            b.HasKey(r => new { r.OriginNode, r.RecordId });
            b.Property(r => r.OriginNode).HasMaxLength(64);
            b.Property(r => r.Module).HasMaxLength(64);
            b.Property(r => r.RecordType).HasMaxLength(128);
            b.Property(r => r.OwnerOrgCode).HasMaxLength(64);
            b.Property(r => r.AddressOrgCode).HasMaxLength(64);
            b.Property(r => r.ReceivedFrom).HasMaxLength(64);
            b.HasIndex(r => r.RelaySequence);
        });
        modelBuilder.Entity<SyncCheckpoint>(b =>
        {
            b.ToTable("fed_checkpoints");
            b.HasKey(c => new { c.FromNode, c.Module });
            b.Property(c => c.FromNode).HasMaxLength(64);
            b.Property(c => c.Module).HasMaxLength(64);
        });
    }
}
