using DangVu.Contracts.Members.V1;
using DangVu.Core.Events;
using DangVu.Modules.Members.Application;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Gender = DangVu.Modules.Members.Domain.Gender;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class DisciplineEventTests
{
    [Theory, StorageProviders]
    public async Task A_DisciplineRecorded_event_delivered_through_the_event_bus_is_recorded_once(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider, (services, moduleId) =>
        {
            services.AddScoped<DisciplineRecordedHandler>();
            services.AddSingleton(EventSubscription.For<DisciplineRecorded, DisciplineRecordedHandler>(moduleId));
        });
        var member = await host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2), Gender.Male);

        // What the inspection module's outbox will hold; published here from the members' own outbox.
        await host.Db(db =>
        {
            db.Publish(new DisciplineRecorded
            {
                MemberId = member.Id.ToString(),
                Form = DisciplineForm.Reprimand,
                DecisionNumber = "11-QĐ/UBKT",
                DecisionDate = new CalendarDate { Year = 2026, Month = 11, Day = 3 },
                IssuedBy = "Ủy ban Kiểm tra Đảng ủy phường",
            });
            return db.SaveChangesAsync();
        });

        await host.Storage.Dispatcher().DispatchPendingAsync(CancellationToken.None);
        await host.Storage.Dispatcher().DispatchPendingAsync(CancellationToken.None);

        var records = await host.Db(db => db.Disciplines.Where(d => d.MemberId == member.Id).ToListAsync());
        records.Should().ContainSingle().Which.DecisionNumber.Should().Be("11-QĐ/UBKT");
        (await host.Db(db => db.Inbox.CountAsync())).Should().Be(1);
    }
}
