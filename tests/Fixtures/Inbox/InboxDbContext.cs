using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Fixtures.Inbox;

public sealed class InboxDbContext(DbContextOptions<InboxDbContext> options) : ModuleDbContext(options)
{
    public DbSet<ReceivedNote> Received => Set<ReceivedNote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ReceivedNote>(b =>
        {
            b.ToTable("received_notes");
            b.Property(r => r.NoteId).HasMaxLength(64);
            b.Property(r => r.Title).HasMaxLength(200);
        });
    }
}
