namespace DangVu.Core.Abstractions.Organisation;

/// <summary>Kinds of Party organisation (Điều lệ Đảng; after the 2025 reorganisation).</summary>
public enum OrgUnitKind
{
    /// <summary>Đảng bộ tỉnh / thành phố.</summary>
    ProvincialCommittee = 1,

    /// <summary>Đảng bộ trực thuộc (xã/phường, khối, cơ quan…).</summary>
    DirectlySubordinateCommittee = 2,

    /// <summary>Đảng bộ cơ sở.</summary>
    GrassrootsCommittee = 3,

    /// <summary>Chi bộ cơ sở.</summary>
    GrassrootsCell = 4,

    /// <summary>Đảng bộ bộ phận.</summary>
    SectionCommittee = 5,

    /// <summary>Chi bộ trực thuộc.</summary>
    SubordinateCell = 6,
}

/// <summary>One Party organisation as modules see it.</summary>
/// <param name="Id">Stable id; records point at it.</param>
/// <param name="Code">The committee's code, unique in the tree (for example <c>HN.03.12</c>).</param>
/// <param name="NameVi">Vietnamese name, such as "Chi bộ Khu phố 3".</param>
/// <param name="Kind">Kind of organisation.</param>
/// <param name="ParentId">The organisation above; null for the root.</param>
/// <param name="ValidFrom">Founded / in effect from.</param>
/// <param name="ValidTo">Merged, split or dissolved on; null while it exists.</param>
public sealed record OrgUnitInfo(Guid Id, string Code, string NameVi, OrgUnitKind Kind, Guid? ParentId, DateOnly ValidFrom, DateOnly? ValidTo)
{
    public bool IsActiveOn(DateOnly date) => ValidFrom <= date && (ValidTo is null || date < ValidTo);
}

/// <summary>The organisation tree, read-only, for modules.</summary>
public interface IOrganisationDirectory
{
    Task<OrgUnitInfo?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<OrgUnitInfo?> FindByCodeAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>The organisation and all below it, including dissolved ones (history is kept).</summary>
    Task<IReadOnlyList<OrgUnitInfo>> SubtreeAsync(Guid rootId, CancellationToken cancellationToken = default);

    /// <summary>From the organisation up to the root, the organisation first.</summary>
    Task<IReadOnlyList<OrgUnitInfo>> AncestryAsync(Guid id, CancellationToken cancellationToken = default);
}
