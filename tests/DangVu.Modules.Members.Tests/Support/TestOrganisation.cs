using DangVu.Core.Abstractions.Organisation;

namespace DangVu.Modules.Members.Tests.Support;

/// <summary>
/// A small real organisation tree held in memory (the seam Core implements):
/// Tỉnh ủy → Đảng ủy phường → { Đảng bộ cơ sở trường → { Chi bộ A, Chi bộ B }, Chi bộ cơ sở C }.
/// </summary>
internal sealed class TestOrganisation : IOrganisationDirectory
{
    public static readonly Guid Province = Guid.Parse("0197a000-0000-7000-8000-000000000001");
    public static readonly Guid Ward = Guid.Parse("0197a000-0000-7000-8000-000000000002");
    public static readonly Guid School = Guid.Parse("0197a000-0000-7000-8000-000000000003");
    public static readonly Guid CellA = Guid.Parse("0197a000-0000-7000-8000-00000000000a");
    public static readonly Guid CellB = Guid.Parse("0197a000-0000-7000-8000-00000000000b");
    public static readonly Guid CellC = Guid.Parse("0197a000-0000-7000-8000-00000000000c");
    public static readonly Guid Dissolved = Guid.Parse("0197a000-0000-7000-8000-00000000000d");

    private static readonly DateOnly Founded = new(1990, 1, 1);

    private readonly List<OrgUnitInfo> _units =
    [
        new(Province, "HN", "Đảng bộ Thành phố Hà Nội", OrgUnitKind.ProvincialCommittee, null, Founded, null),
        new(Ward, "HN.01", "Đảng bộ phường Ba Đình", OrgUnitKind.DirectlySubordinateCommittee, Province, Founded, null),
        new(School, "HN.01.01", "Đảng bộ Trường THPT Phan Đình Phùng", OrgUnitKind.GrassrootsCommittee, Ward, Founded, null),
        new(CellA, "HN.01.01.A", "Chi bộ Giáo viên Tự nhiên", OrgUnitKind.SubordinateCell, School, Founded, null),
        new(CellB, "HN.01.01.B", "Chi bộ Giáo viên Xã hội", OrgUnitKind.SubordinateCell, School, Founded, null),
        new(CellC, "HN.01.02", "Chi bộ Khu dân cư số 3", OrgUnitKind.GrassrootsCell, Ward, Founded, null),
        new(Dissolved, "HN.01.03", "Chi bộ Tổ dân phố 9 (đã giải thể)", OrgUnitKind.GrassrootsCell, Ward, Founded, new DateOnly(2025, 7, 1)),
    ];

    public Task<OrgUnitInfo?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_units.FirstOrDefault(u => u.Id == id));

    public Task<OrgUnitInfo?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) =>
        Task.FromResult(_units.FirstOrDefault(u => u.Code == code));

    public Task<IReadOnlyList<OrgUnitInfo>> SubtreeAsync(Guid rootId, CancellationToken cancellationToken = default)
    {
        var result = new List<OrgUnitInfo>();
        var queue = new Queue<Guid>([rootId]);
        while (queue.TryDequeue(out var id))
        {
            if (_units.FirstOrDefault(u => u.Id == id) is { } unit)
            {
                result.Add(unit);
                foreach (var child in _units.Where(u => u.ParentId == id))
                {
                    queue.Enqueue(child.Id);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<OrgUnitInfo>>(result);
    }

    public Task<IReadOnlyList<OrgUnitInfo>> AncestryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var result = new List<OrgUnitInfo>();
        for (var unit = _units.FirstOrDefault(u => u.Id == id); unit is not null; unit = _units.FirstOrDefault(u => u.Id == unit.ParentId))
        {
            result.Add(unit);
        }

        return Task.FromResult<IReadOnlyList<OrgUnitInfo>>(result);
    }
}
