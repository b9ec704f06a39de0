using DangVu.Core.Abstractions.Events;
using DangVu.Core.Events;
using DangVu.Core.Tests.Contracts;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Events;

public sealed class OutboxDeliveryTests
{
    [Theory, StorageProviders]
    public async Task An_event_published_in_a_save_is_delivered_to_the_subscriber_after_commit(string provider)
    {
        await using var storage = await StartAsync(provider);
        var entryId = await PostAsync(storage, "Đảng phí", 120);

        (await storage.Dispatcher().DispatchPendingAsync(CancellationToken.None)).Should().Be(1);

        using var _ = storage.Scope<ListenerDbContext>(out var listener);
        var heard = await listener.Heard.SingleAsync();
        heard.EntryId.Should().Be(entryId.ToString());
        heard.Amount.Should().Be(120);
        (await listener.Inbox.CountAsync()).Should().Be(1);
    }

    [Theory, StorageProviders]
    public async Task A_redelivered_event_does_not_run_the_handler_twice(string provider)
    {
        await using var storage = await StartAsync(provider);
        await PostAsync(storage, "Đảng phí", 5);
        await storage.Dispatcher().DispatchPendingAsync(CancellationToken.None);

        // As if the dispatcher crashed after delivering but before marking the message dispatched.
        using (var _ = storage.Scope<LedgerDbContext>(out var ledger))
        {
            await ledger.Outbox.ExecuteUpdateAsync(s => s.SetProperty(m => m.DispatchedAt, (DateTime?)null));
        }

        await storage.Dispatcher().DispatchPendingAsync(CancellationToken.None);

        using var __ = storage.Scope<ListenerDbContext>(out var listener);
        (await listener.Heard.CountAsync()).Should().Be(1);
    }

    [Theory, StorageProviders]
    public async Task An_event_of_a_rolled_back_transaction_is_never_delivered(string provider)
    {
        await using var storage = await StartAsync(provider);
        using (var _ = storage.Scope<LedgerDbContext>(out var ledger))
        {
            await using var transaction = await ledger.Database.BeginTransactionAsync();
            ledger.Entries.Add(new LedgerEntry { Title = "Hủy", Amount = 1 });
            ledger.Publish(new EntryPosted { EntryId = "x", Amount = 1 });
            await ledger.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        (await storage.Dispatcher().DispatchPendingAsync(CancellationToken.None)).Should().Be(0);
        using var __ = storage.Scope<ListenerDbContext>(out var listener);
        (await listener.Heard.AnyAsync()).Should().BeFalse();
    }

    [Theory, StorageProviders]
    public async Task A_failing_handler_keeps_the_event_for_a_retry_and_records_the_error(string provider)
    {
        await using var storage = await StartAsync(provider);
        await PostAsync(storage, "Lỗi", EntryPostedHandler.FailingAmount);

        (await storage.Dispatcher().DispatchPendingAsync(CancellationToken.None)).Should().Be(0);

        using var _ = storage.Scope<LedgerDbContext>(out var ledger);
        var message = await ledger.Outbox.SingleAsync();
        message.DispatchedAt.Should().BeNull();
        message.Attempts.Should().Be(1);
        message.LastError.Should().Contain("số tiền âm");
        using var __ = storage.Scope<ListenerDbContext>(out var listener);
        (await listener.Heard.AnyAsync()).Should().BeFalse("the handler's writes roll back with it");
        (await listener.Inbox.AnyAsync()).Should().BeFalse();
    }

    private static async Task<TestStorage> StartAsync(string provider)
    {
        var storage = new TestStorage(provider);
        var listener = storage.ModuleId("listener");
        storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger")).AddModule<ListenerDbContext>(listener);
        storage.Services.AddScoped<EntryPostedHandler>();
        storage.Services.AddSingleton(EventSubscription.For<EntryPosted, EntryPostedHandler>(listener));
        await storage.StartAsync();
        return storage;
    }

    private static async Task<Guid> PostAsync(TestStorage storage, string title, long amount)
    {
        using var _ = storage.Scope<LedgerDbContext>(out var ledger);
        var entry = new LedgerEntry { Title = title, Amount = amount };
        ledger.Entries.Add(entry);
        ledger.Publish(new EntryPosted { EntryId = entry.Id.ToString(), Amount = amount });
        await ledger.SaveChangesAsync();
        return entry.Id;
    }

    private sealed class EntryPostedHandler(ListenerDbContext db) : IIntegrationEventHandler<EntryPosted>
    {
        public const long FailingAmount = -1;

        public async Task HandleAsync(EntryPosted message, IntegrationEventContext context, CancellationToken cancellationToken)
        {
            db.Heard.Add(new HeardEntry { EntryId = message.EntryId, Amount = message.Amount });
            await db.SaveChangesAsync(cancellationToken);
            if (message.Amount == FailingAmount)
            {
                throw new InvalidOperationException("số tiền âm (negative amount)");
            }
        }
    }
}
