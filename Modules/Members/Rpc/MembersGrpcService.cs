using DangVu.Core.Abstractions.Rpc;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Rpc;

/// <summary>
/// <c>dangvu.members.v1.MembersService</c>: translates each message into an operation and its
/// result back, nothing else. Authorization, validation and rules live in the operations;
/// their errors become gRPC statuses in the transport's one mapping.
/// </summary>
internal sealed class MembersGrpcService(
    QueryService queries,
    AdmissionService admissions,
    TransferService transfers,
    StatusService statuses,
    BadgeService badges,
    DuesService dues,
    RuleBook rules,
    MembersClock clock)
{
    public async Task<V1.Member> GetMember(V1.GetMemberRequest request, ServerCallContext context) =>
        (await queries.GetAsync(ContractMapping.RequireId(request.MemberId, "member_id"), context.CancellationToken)).ToContract();

    public async Task<V1.MemberHistory> GetHistory(V1.GetMemberRequest request, ServerCallContext context) =>
        (await queries.HistoryAsync(ContractMapping.RequireId(request.MemberId, "member_id"), context.CancellationToken)).ToContract();

    public async Task<V1.SearchMembersResponse> SearchMembers(V1.SearchMembersRequest request, ServerCallContext context) =>
        (await queries.SearchAsync(request.ToSearch(), context.CancellationToken)).ToContract();

    public async Task StreamMembers(V1.SearchMembersRequest request, IServerStreamWriter<V1.MemberSummary> responses, ServerCallContext context)
    {
        await foreach (var summary in queries.StreamAsync(request.ToSearch(), context.CancellationToken))
        {
            await responses.WriteAsync(summary.ToContract());
        }
    }

    public async Task<V1.MemberStatistics> GetStatistics(V1.GetStatisticsRequest request, ServerCallContext context) =>
        (await queries.StatisticsAsync(Org(request.OrgUnitId), AsOf(request.AsOf), context.CancellationToken)).ToContract();

    public async Task<V1.Member> RegisterMember(V1.RegisterMemberRequest request, ServerCallContext context) =>
        (await admissions.RegisterAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.Member> UpdateProfile(V1.UpdateProfileRequest request, ServerCallContext context) =>
        (await admissions.UpdateProfileAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.Member> AdmitMember(V1.AdmitMemberRequest request, ServerCallContext context) =>
        (await admissions.AdmitAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.Member> RecognizeOfficial(V1.RecognizeOfficialRequest request, ServerCallContext context) =>
        (await admissions.RecognizeOfficialAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.RecognitionsDue> ListRecognitionsDue(V1.ListDueRequest request, ServerCallContext context) =>
        (await admissions.RecognitionsDueAsync(Org(request.OrgUnitId), AsOf(request.AsOf), context.CancellationToken)).ToContract();

    public async Task<V1.TransferLetter> StartTransfer(V1.StartTransferRequest request, ServerCallContext context)
    {
        var letter = await transfers.StartAsync(request.ToCommand(), context.CancellationToken);
        return letter.ToContract(await FullNameAsync(letter.MemberId, context));
    }

    public async Task<V1.TransferLetter> ConfirmTransfer(V1.ConfirmTransferRequest request, ServerCallContext context)
    {
        var letter = await transfers.ConfirmAsync(request.ToCommand(), context.CancellationToken);
        return letter.ToContract(await FullNameAsync(letter.MemberId, context));
    }

    public async Task<V1.PendingTransfers> ListPendingTransfers(V1.ListDueRequest request, ServerCallContext context) =>
        (await transfers.PendingAsync(Org(request.OrgUnitId), AsOf(request.AsOf), context.CancellationToken)).ToContract();

    public async Task<V1.Member> ExemptMember(V1.ExemptMemberRequest request, ServerCallContext context) =>
        (await statuses.ExemptAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.Member> EndExemption(V1.EndExemptionRequest request, ServerCallContext context) =>
        (await statuses.EndExemptionAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.Member> RecordDiscipline(V1.DisciplineRecorded request, ServerCallContext context) =>
        (await statuses.RecordDisciplineAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.Member> RecordLeaving(V1.RecordLeavingRequest request, ServerCallContext context) =>
        (await statuses.RecordLeavingAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.BadgeCandidates> ListBadgeCandidates(V1.ListBadgeCandidatesRequest request, ServerCallContext context) =>
        (await badges.CandidatesAsync(Org(request.OrgUnitId), request.BatchDate.RequireDate("batch_date"), context.CancellationToken)).ToContract();

    public async Task<V1.Member> AwardBadge(V1.AwardBadgeRequest request, ServerCallContext context)
    {
        var award = await badges.AwardAsync(request.ToCommand(), context.CancellationToken);
        return (await queries.GetAsync(award.MemberId, context.CancellationToken)).ToContract();
    }

    public async Task<V1.Member> SetDuesBasis(V1.SetDuesBasisRequest request, ServerCallContext context)
    {
        var basis = await dues.SetBasisAsync(request.ToCommand(), context.CancellationToken);
        return (await queries.GetAsync(basis.MemberId, context.CancellationToken)).ToContract();
    }

    public async Task<V1.Member> RecordHardshipReduction(V1.RecordHardshipReductionRequest request, ServerCallContext context)
    {
        var reduction = await dues.RecordHardshipReductionAsync(request.ToCommand(), context.CancellationToken);
        return (await queries.GetAsync(reduction.MemberId, context.CancellationToken)).ToContract();
    }

    public async Task<V1.DuesLedger> RecordDuesPayment(V1.RecordDuesPaymentRequest request, ServerCallContext context) =>
        (await dues.PayAsync(request.ToCommand(), context.CancellationToken)).ToContract();

    public async Task<V1.DuesLedger> GetDuesLedger(V1.GetDuesLedgerRequest request, ServerCallContext context) =>
        (await dues.LedgerAsync(ContractMapping.RequireId(request.MemberId, "member_id"), Year(request.Year), context.CancellationToken)).ToContract();

    public async Task<V1.CollectionSheet> GetCollectionSheet(V1.GetCollectionSheetRequest request, ServerCallContext context) =>
        (await dues.CollectionSheetAsync(Org(request.OrgUnitId), Year(request.Year), request.Month, context.CancellationToken)).ToContract();

    public async Task<V1.UnpaidDues> ListUnpaidDues(V1.ListUnpaidDuesRequest request, ServerCallContext context) =>
        (await dues.UnpaidAsync(Org(request.OrgUnitId), Year(request.Year), AsOf(request.AsOf), context.CancellationToken)).ToContract();

    public async Task<V1.RulePacks> ListRulePacks(V1.ListRulePacksRequest request, ServerCallContext context)
    {
        var reply = new V1.RulePacks();
        reply.Items.AddRange((await rules.TimelineAsync(context.CancellationToken)).Packs.Select(p => p.ToContract()));
        return reply;
    }

    public async Task<V1.RulePack> PublishRulePack(V1.PublishRulePackRequest request, ServerCallContext context) =>
        (await rules.PublishAsync(
            Org(request.OrgUnitId),
            request.ValidFrom.RequireDate("valid_from"),
            request.Name,
            request.SourceDocument,
            RuleSet.FromJson(request.RulesJson).Validate(),
            context.CancellationToken)).ToContract();

    private static Guid Org(string value) => ContractMapping.RequireId(value, "org_unit_id");

    private DateOnly AsOf(V1.CalendarDate? date) => date.ToDate("as_of") ?? clock.Today;

    private int Year(int year) => year == 0 ? clock.Today.Year : year;

    private async Task<string> FullNameAsync(Guid memberId, ServerCallContext context) =>
        (await queries.GetAsync(memberId, context.CancellationToken)).FullName;
}
