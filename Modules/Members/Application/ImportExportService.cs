using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Abstractions.Text;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Application;

/// <summary>One problem of an import, by row (line of the file) and column (its Vietnamese header).</summary>
internal sealed record ImportError(int Row, string Column, string MessageVi, string MessageEn);

/// <summary>Where an import is: rows read and checked (total unknown), and members written out of those checked so far (all of them once the checking is done).</summary>
internal sealed record ImportProgress(ImportStage Stage, int Done, int Total);

internal enum ImportStage
{
    Checking,
    Writing,
}

/// <summary>Either every row imported, or nothing and every error found.</summary>
internal sealed record ImportResult(int Imported, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Member files in and out as CSV or XLSX with the same Vietnamese headers. An import validates
/// every row (profile, organisation, status and dates, permissions, numbers unique in the file
/// and the database) and reports all errors by row and column; the rows checked are written in
/// batches while the rest is checked, in one transaction through the storage's bulk insert (each
/// member with its change-feed entry and who imported it, for its timeline; one audit entry for the
/// insert) that commits only when the whole file had no error, so that nothing is ever half-imported.
/// Export writes the same format.
/// </summary>
internal sealed class ImportExportService(MemberAccess access, RuleBook rules, IOrganisationDirectory directory)
{
    // Members per batch handed from the checking to the writing (one bulk-insert batch): small enough that the writing starts early.
    private const int Batch = ModuleDbContext.BulkChunk / 2;

    public const string FullName = "Họ và tên";
    public const string OtherNames = "Tên gọi khác";
    public const string Gender = "Giới tính";
    public const string DateOfBirth = "Ngày sinh";
    public const string PlaceOfBirth = "Nơi sinh";
    public const string Hometown = "Quê quán";
    public const string Ethnicity = "Dân tộc";
    public const string Religion = "Tôn giáo";
    public const string CitizenId = "Số CCCD";
    public const string FileNumber = "Số lý lịch";
    public const string CardNumber = "Số thẻ đảng viên";
    public const string Cell = "Mã chi bộ";
    public const string Status = "Trạng thái";
    public const string AdmissionDate = "Ngày vào Đảng";
    public const string AdmissionDecision = "Số quyết định kết nạp";
    public const string CeremonyDate = "Ngày lễ kết nạp";
    public const string OfficialDate = "Ngày chính thức";
    public const string OfficialDecision = "Số quyết định chính thức";
    public const string GeneralEducation = "Giáo dục phổ thông";
    public const string Professional = "Chuyên môn";
    public const string Theory = "Lý luận chính trị";
    public const string Occupation = "Nghề nghiệp";
    public const string JobTitle = "Chức vụ";
    public const string Workplace = "Nơi làm việc";
    public const string Phone = "Điện thoại";
    public const string Email = "Thư điện tử";
    public const string Address = "Địa chỉ";

    public static IReadOnlyList<string> Headers { get; } =
    [
        FullName, OtherNames, Gender, DateOfBirth, PlaceOfBirth, Hometown, Ethnicity, Religion, CitizenId, FileNumber, CardNumber,
        Cell, Status, AdmissionDate, AdmissionDecision, CeremonyDate, OfficialDate, OfficialDecision, GeneralEducation, Professional,
        Theory, Occupation, JobTitle, Workplace, Phone, Email, Address,
    ];

    private static readonly string[] Required = [FullName, Gender, DateOfBirth, CitizenId, Cell, Status, AdmissionDate, AdmissionDecision, CeremonyDate];

    private static readonly Dictionary<string, string> FieldColumns = new()
    {
        ["full_name"] = FullName, ["other_names"] = OtherNames, ["gender"] = Gender, ["date_of_birth"] = DateOfBirth,
        ["place_of_birth"] = PlaceOfBirth, ["hometown"] = Hometown, ["ethnicity_code"] = Ethnicity, ["religion_code"] = Religion,
        ["citizen_id"] = CitizenId, ["file_number"] = FileNumber, ["card_number"] = CardNumber, ["general_education"] = GeneralEducation,
        ["professional_qualification"] = Professional, ["theory_level"] = Theory, ["occupation"] = Occupation, ["job_title"] = JobTitle,
        ["workplace"] = Workplace, ["phone"] = Phone, ["email"] = Email, ["address"] = Address,
    };

    public async Task<ImportResult> ImportAsync(Stream file, MemberFileFormat format, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var rows = format == MemberFileFormat.Xlsx
                ? Xlsx.Read(file)
                : Csv.Read(new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true));
            // A CSV file's rows take about as many bytes each: its length tells how many numbers the checking will meet.
            var sized = format == MemberFileFormat.Csv && file.CanSeek ? file : null;
            return await ImportRowsAsync(rows, format, sized, progress, cancellationToken);
        }
        catch (MemberFileException ex)
        {
            return new ImportResult(0, [new ImportError(1, "", ex.MessageVi, ex.MessageEn)]);
        }
        catch (System.Xml.XmlException)
        {
            return new ImportResult(0, [new ImportError(1, "", "Nội dung bảng tính bị hỏng, không đọc được.", "The worksheet is corrupt and cannot be read.")]);
        }
    }

    private async Task<ImportResult> ImportRowsAsync(
        IEnumerable<(int Row, IReadOnlyList<string> Fields)> source, MemberFileFormat format, Stream? sized, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var file = source.GetEnumerator();
        if (!file.MoveNext())
        {
            return new ImportResult(0, [new ImportError(1, "", "Tệp trống.", "The file is empty.")]);
        }

        var (headerLine, header) = file.Current;
        var columns = header.Select((h, i) => (h.Trim(), i)).GroupBy(h => h.Item1).ToDictionary(g => g.Key, g => g.First().i);
        var missing = Required.Where(h => !columns.ContainsKey(h))
            .Select(h => new ImportError(headerLine, h, $"Thiếu cột \"{h}\".", $"Column \"{h}\" is missing.")).ToList();
        if (missing.Count > 0)
        {
            return new ImportResult(0, missing);
        }

        // Read before the writer takes the context: the rules, and whether anything is stored
        // (a first import into an empty installation has nothing to collide with).
        var timeline = await rules.TimelineAsync(cancellationToken);
        var stored = await access.Db.Members.AnyAsync(cancellationToken);
        var serial = progress is null ? null : new SerialProgress(progress);
        var import = new ImportRun();
        var checkedRows = Channel.CreateBounded<List<(Member Member, int Line)>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var writing = Task.Run(
            async () =>
            {
                try
                {
                    await WriteAsync(Batches(checkedRows.Reader, stored, import, cancellationToken), serial is null ? null : new WritingProgress(serial, import), cancellationToken);
                }
                catch (Exception ex)
                {
                    // Stops the checking too, which would otherwise wait for room in the channel.
                    checkedRows.Writer.TryComplete(ex);
                    throw;
                }
            },
            cancellationToken);
        List<ImportError> errors;
        try
        {
            errors = await CheckAsync(file, columns, format, sized, timeline, serial, import, checkedRows.Writer, cancellationToken);
            checkedRows.Writer.Complete();
        }
        catch (ChannelClosedException)
        {
            // Only the writer closes the channel early, when it failed: its failure is the import's, below.
            errors = [];
        }
        catch (Exception ex)
        {
            // Nothing is committed: the writer rolls back when the channel ends with the failure.
            checkedRows.Writer.TryComplete(ex);
            await Task.WhenAny(writing);
            _ = writing.Exception; // observed: the checking's failure is the one reported
            throw;
        }

        try
        {
            await writing;
        }
        catch (ImportRejectedException)
        {
            return new ImportResult(0, errors.Concat(import.StoredDuplicates).OrderBy(e => e.Row).ToList());
        }
        catch (DbException ex) when (ex.Message.Contains("CitizenId", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("FileNumber", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("CardNumber", StringComparison.OrdinalIgnoreCase))
        {
            // Another save took a number between the check and the write; the transaction rolled back.
            throw Refuse.Rule("member.citizen-id-unique",
                "Một số CCCD, số lý lịch hoặc số thẻ trong tệp vừa được lưu cho đảng viên khác; không có gì được nhập. Hãy nhập lại.",
                "A citizen ID, file or card number of the file was just saved for another member; nothing was imported. Import again.");
        }

        return new ImportResult(import.Checked, []);
    }

    /// <summary>
    /// Checks every row of the file after its header and hands the valid members to the writer in
    /// batches, while it writes the batches before them; after the first error it goes on checking
    /// (every error is reported) and the writer writes nothing more. Returns the errors of the rows. When the file's size is
    /// known (<paramref name="sized"/>), the tables of the numbers met are made as large as its rows once
    /// <see cref="SizingRows"/> rows tell how many bytes a row takes.
    /// </summary>
    private async Task<List<ImportError>> CheckAsync(
        IEnumerator<(int Row, IReadOnlyList<string> Fields)> file, Dictionary<string, int> columns, MemberFileFormat format, Stream? sized,
        RuleTimeline timeline, IProgress<ImportProgress>? progress, ImportRun import, ChannelWriter<List<(Member Member, int Line)>> valid,
        CancellationToken cancellationToken)
    {
        var today = access.Today;
        var errors = new List<ImportError>();
        var batch = new List<(Member Member, int Line)>(Batch);
        var cells = new Dictionary<string, OrgUnitInfo?>(StringComparer.Ordinal);
        var allowed = new Dictionary<Guid, bool>();
        // The line of each citizen ID, file and card number met so far, by column (no key strings built per row).
        var seen = new Dictionary<string, SeenNumbers> { [CitizenId] = new(), [FileNumber] = new(), [CardNumber] = new() };
        var rows = 0;
        // The row's variables live outside the loop: the helpers that capture them are made once, not per row.
        var line = 0;
        IReadOnlyList<string> fields = [];
        var rowErrors = new List<ImportError>();
        string Get(string header) => columns.TryGetValue(header, out var i) && i < fields.Count ? fields[i].Trim() : "";
        void Error(string column, string vi, string en) => rowErrors.Add(new ImportError(line, column, vi, en));
        Action<string, string, string> error = Error;
        void Unique(string column, string? value)
        {
            if (value is not null && !seen[column].TryAdd(value, line, out var earlier))
            {
                Error(column, $"Trùng với dòng {earlier} của tệp.", $"Same as line {earlier} of the file.");
            }
        }

        while (file.MoveNext())
        {
            (line, fields) = file.Current;
            cancellationToken.ThrowIfCancellationRequested();
            rows++;
            rowErrors.Clear();

            var gender = Get(Gender).ToLowerInvariant() switch
            {
                "nam" => Domain.Gender.Male,
                "nữ" or "nu" => Domain.Gender.Female,
                _ => (Domain.Gender?)null,
            };
            if (gender is null)
            {
                Error(Gender, "Giới tính phải là \"Nam\" hoặc \"Nữ\".", "Gender is Nam or Nữ.");
            }

            var born = ParseDate(Get(DateOfBirth), DateOfBirth, true, format, error);
            var admitted = ParseDate(Get(AdmissionDate), AdmissionDate, true, format, error);
            var ceremony = ParseDate(Get(CeremonyDate), CeremonyDate, true, format, error);
            var official = ParseDate(Get(OfficialDate), OfficialDate, false, format, error);
            var ethnicity = Code(Get(Ethnicity), EthnicityCodes, "01");
            var religion = Code(Get(Religion), ReligionCodes, "00");
            var theory = Code(Get(Theory), TheoryCodes, "0");
            if (theory is null)
            {
                Error(Theory, $"Trình độ lý luận \"{Get(Theory)}\" không có trong danh mục.", "Unknown political theory level.");
            }

            var status = VietnameseText.Fold(Get(Status)) switch
            {
                "du bi" => MemberStatus.Probationary,
                "chinh thuc" => MemberStatus.Official,
                _ => (MemberStatus?)null,
            };
            if (status is null)
            {
                Error(Status, "Trạng thái phải là \"Dự bị\" hoặc \"Chính thức\".", "Status is Dự bị or Chính thức.");
            }

            var cellCode = Get(Cell);
            if (!cells.TryGetValue(cellCode, out var cell))
            {
                cell = await directory.FindByCodeAsync(cellCode, cancellationToken);
                cells[cellCode] = cell;
            }

            if (cell is null || cell.Kind is not (OrgUnitKind.GrassrootsCell or OrgUnitKind.SubordinateCell) || !cell.IsActiveOn(today))
            {
                Error(Cell, $"Không có chi bộ đang hoạt động mã \"{cellCode}\".", $"No active chi bộ has code {cellCode}.");
            }
            else
            {
                if (!allowed.TryGetValue(cell.Id, out var ok))
                {
                    try
                    {
                        await access.EnsureAllowedAsync(MembersPermissions.Write, cell.Id, cancellationToken);
                        ok = true;
                    }
                    catch (PermissionDeniedException)
                    {
                        ok = false;
                    }

                    allowed[cell.Id] = ok;
                }

                if (!ok)
                {
                    Error(Cell, $"Không có quyền nhập hồ sơ cho chi bộ \"{cell.NameVi}\".", $"No permission to enter files for {cell.NameVi}.");
                }
            }

            MemberProfile? profile = null;
            if (gender is not null && born is not null)
            {
                try
                {
                    profile = new MemberProfile
                    {
                        FullName = Get(FullName), OtherNames = Get(OtherNames), Gender = gender.Value, DateOfBirth = born.Value,
                        PlaceOfBirth = Get(PlaceOfBirth), Hometown = Get(Hometown), EthnicityCode = ethnicity ?? "?", ReligionCode = religion ?? "?",
                        CitizenId = Get(CitizenId), FileNumber = Get(FileNumber), CardNumber = Get(CardNumber),
                        GeneralEducation = Get(GeneralEducation), ProfessionalQualification = Get(Professional),
                        TheoryLevel = (TheoryLevel)int.Parse(theory ?? "0", CultureInfo.InvariantCulture), Occupation = Get(Occupation),
                        JobTitle = Get(JobTitle), Workplace = Get(Workplace), Phone = Get(Phone), Email = Get(Email), Address = Get(Address),
                    }.Validated(today);
                }
                catch (InvalidArgumentException ex)
                {
                    Error(FieldColumns.GetValueOrDefault(ex.Field, ex.Field), ex.MessageVi, ex.MessageEn);
                }
            }

            if (profile is not null)
            {
                Unique(CitizenId, profile.CitizenId);
                Unique(FileNumber, profile.FileNumber);
                Unique(CardNumber, profile.CardNumber);
            }

            if (admitted is { } a && ceremony is { } c && status is { } s && born is { } b)
            {
                if (a <= b || a > today)
                {
                    Error(AdmissionDate, "Ngày vào Đảng không hợp lệ.", "The admission date is invalid.");
                }

                if (c < a)
                {
                    Error(CeremonyDate, "Lễ kết nạp không thể trước ngày vào Đảng.", "The ceremony cannot precede admission.");
                }

                var ends = c.AddMonths(timeline.At(c).ProbationMonths);
                if (s == MemberStatus.Official && (official is not { } o || o < ends || o > today))
                {
                    Error(OfficialDate, $"Ngày chính thức phải từ {ends:dd/MM/yyyy} (hết thời gian dự bị) đến hôm nay.", $"The official date must be from {ends:yyyy-MM-dd} to today.");
                }
            }

            if (string.IsNullOrWhiteSpace(Get(AdmissionDecision)))
            {
                Error(AdmissionDecision, "Chưa nhập số quyết định kết nạp.", "The admission decision is required.");
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                import.Failed = true;
            }
            else
            {
                var member = new Member { OwnerOrgUnitId = cell!.Id };
                profile!.WriteTo(member);
                member.Status = status!.Value;
                member.AdmissionDate = admitted!.Value;
                member.AdmissionDecision = Get(AdmissionDecision);
                member.AdmissionCeremonyDate = ceremony!.Value;
                member.OfficialDate = status == MemberStatus.Official ? official : null;
                member.OfficialDecision = status == MemberStatus.Official ? Get(OfficialDecision) : null;
                batch.Add((member, line));
                if (batch.Count == Batch)
                {
                    import.Checked += batch.Count;
                    await valid.WriteAsync(batch, cancellationToken);
                    batch = new List<(Member Member, int Line)>(Batch);
                }
            }

            if (rows % 1000 == 0)
            {
                progress?.Report(new ImportProgress(ImportStage.Checking, rows, 0));
            }

            if (rows == SizingRows && sized is { Position: > 0 } && ExpectedRows(sized, rows) is var expected && expected > rows)
            {
                foreach (var numbers in seen.Values)
                {
                    numbers.EnsureCapacity(expected);
                }
            }
        }

        import.Checked += batch.Count;
        if (batch.Count > 0)
        {
            await valid.WriteAsync(batch, cancellationToken);
        }

        progress?.Report(new ImportProgress(ImportStage.Checking, rows, rows));
        return errors;
    }

    // Rows read before the file's size is taken for a row count: the reader's buffers (about 70 KB ahead of the rows) are
    // then a few percent of what was read.
    private const int SizingRows = 10_000;

    // No more than the Party has members (over five million): a larger guess (a file of tiny first rows) is not taken.
    private const int MaxSizedRows = 6_000_000;

    /// <summary>The rows of <paramref name="file"/>, from the bytes its first <paramref name="rows"/> took, with a tenth more for the rows that run longer.</summary>
    private static int ExpectedRows(Stream file, int rows) =>
        (int)Math.Min(MaxSizedRows, file.Length * rows / file.Position * 11 / 10);

    /// <summary>
    /// The checked members as the bulk insert's batches, each marked with who imported it; each
    /// batch first checked against the numbers already stored. Once a row of the file failed, no
    /// batch is written (they are still checked, for the report) and the end rolls back.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<ReplicatedRecord>> Batches(
        ChannelReader<List<(Member Member, int Line)>> valid, bool stored, ImportRun import, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var actor = Actor.Current.Name;
        await foreach (var batch in valid.ReadAllAsync(cancellationToken))
        {
            if (stored)
            {
                await CheckDatabaseDuplicatesAsync(batch, import, cancellationToken);
            }

            if (import.Failed)
            {
                continue;
            }

            var records = new List<ReplicatedRecord>(batch.Count);
            foreach (var (member, _) in batch)
            {
                // The timeline's import entry is read from the member (Member.ImportedEntry), not written per member.
                member.ImportedBy = actor;
                records.Add(member);
            }

            yield return records;
        }

        if (import.Failed)
        {
            throw new ImportRejectedException();
        }
    }

    /// <summary>
    /// The bulk insert in one transaction. On SQLite the members' indexes are built after the rows, and the names table
    /// (<see cref="MembersSearchIndex.Names"/>) takes each batch's names set-based, while the checking goes on with the next batch (<see cref="MembersSearchIndex.SqliteBulkStart"/>).
    /// </summary>
    private async Task WriteAsync(IAsyncEnumerable<IReadOnlyList<ReplicatedRecord>> records, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var db = access.Db;
        if (db.Schema is not null)
        {
            await db.BulkInsertAsync(records, progress, cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var named = await MembersSearchIndex.BeginBulkNamesAsync(db, cancellationToken);
        async IAsyncEnumerable<IReadOnlyList<ReplicatedRecord>> Named()
        {
            await foreach (var batch in records.WithCancellation(cancellationToken))
            {
                yield return batch;
                // The batch is written (the bulk insert asks for the next one only then): its names go into the names table.
                await db.Database.ExecuteSqlRawAsync(MembersSearchIndex.SqliteIndexAfter, [named], cancellationToken);
                named = await MembersSearchIndex.LastRowidAsync(db, cancellationToken);
            }
        }

        await db.BulkInsertAsync(Named(), progress, cancellationToken, [typeof(Member)]);
        await MembersSearchIndex.EndBulkNamesAsync(db, named, cancellationToken);
        await db.CommitBulkAsync(transaction, cancellationToken);
    }

    /// <summary>Writes the members of a subtree the caller may see, in the import format.</summary>
    public async Task ExportAsync(Guid orgUnitId, Stream output, MemberFileFormat format, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleMembersAsync(MembersPermissions.Read, orgUnitId, cancellationToken);
        var codes = new Dictionary<Guid, string>();
        async IAsyncEnumerable<object?[]> Rows()
        {
            await foreach (var m in visible.OrderBy(m => m.SortName).ThenBy(m => m.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (!codes.TryGetValue(m.OwnerOrgUnitId, out var code))
                {
                    code = (await directory.FindAsync(m.OwnerOrgUnitId, cancellationToken))?.Code ?? "";
                    codes[m.OwnerOrgUnitId] = code;
                }

                yield return FileRow(m, code);
            }
        }

        await WriteFileAsync(output, format, Rows(), cancellationToken);
    }

    /// <summary>A member as a row of the file, in <see cref="Headers"/> order (dates as <see cref="DateOnly"/>).</summary>
    public static object?[] FileRow(Member m, string cellCode) =>
    [
        m.FullName, m.OtherNames, m.Gender.Vi(), m.DateOfBirth, m.PlaceOfBirth, m.Hometown,
        ReferenceData.Ethnicity(m.EthnicityCode)?.Name ?? m.EthnicityCode, ReferenceData.Religion(m.ReligionCode)?.Name ?? m.ReligionCode,
        m.CitizenId, m.FileNumber ?? "", m.CardNumber ?? "", cellCode,
        m.Status == MemberStatus.Probationary ? "Dự bị" : m.Status == MemberStatus.Official ? "Chính thức" : m.Status.Vi(),
        m.AdmissionDate, m.AdmissionDecision, m.AdmissionCeremonyDate, m.OfficialDate, m.OfficialDecision ?? "",
        m.GeneralEducation, m.ProfessionalQualification, m.TheoryLevel.Vi(), m.Occupation, m.JobTitle, m.Workplace, m.Phone, m.Email, m.Address,
    ];

    /// <summary>Writes the header and <paramref name="rows"/> (see <see cref="FileRow"/>) as CSV or XLSX.</summary>
    public static async Task WriteFileAsync(Stream output, MemberFileFormat format, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        if (format == MemberFileFormat.Csv)
        {
            await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
            await writer.WriteLineAsync(Csv.Line(Headers));
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                await writer.WriteLineAsync(Csv.Line(row.Select(v => v switch { DateOnly d => Date(d), null => "", _ => v.ToString()! })));
            }

            return;
        }

        var all = new List<object?[]>();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            all.Add(row);
        }

        // The package is zipped on dispose; a seekable buffer keeps the SDK off non-seekable outputs (HTTP bodies).
        using var buffer = new MemoryStream();
        Xlsx.Write(buffer, "Đảng viên", Headers, all);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    /// <summary>Members written, reported on the writing thread.</summary>
    private sealed class WritingProgress(IProgress<ImportProgress> target, ImportRun import) : IProgress<int>
    {
        public void Report(int value) => target.Report(new ImportProgress(ImportStage.Writing, value, import.Checked));
    }

    /// <summary>The checking and the writing report from two threads; the caller's progress hears one at a time.</summary>
    private sealed class SerialProgress(IProgress<ImportProgress> target) : IProgress<ImportProgress>
    {
        private readonly Lock _lock = new();

        public void Report(ImportProgress value)
        {
            lock (_lock)
            {
                target.Report(value);
            }
        }
    }

    /// <summary>What the checking and the writing of one import share.</summary>
    private sealed class ImportRun
    {
        private volatile bool _failed;
        private volatile int _checked;

        /// <summary>A row of the file has an error or a number is already stored: nothing is written.</summary>
        public bool Failed
        {
            get => _failed;
            set => _failed = value;
        }

        /// <summary>Valid members handed to the writer so far (all of them once the checking is done).</summary>
        public int Checked
        {
            get => _checked;
            set => _checked = value;
        }

        /// <summary>Numbers of the file already stored (the writer's check), by row.</summary>
        public List<ImportError> StoredDuplicates { get; } = [];
    }

    /// <summary>Ends the bulk insert without committing when the file had errors.</summary>
    private sealed class ImportRejectedException : Exception;

    private async Task CheckDatabaseDuplicatesAsync(List<(Member Member, int Line)> members, ImportRun import, CancellationToken cancellationToken)
    {
        var errors = import.StoredDuplicates;
        var before = errors.Count;
        foreach (var chunk in members.Chunk(1000))
        {
            var ids = chunk.Select(m => m.Member.CitizenId).ToList();
            var files = chunk.Where(m => m.Member.FileNumber != null).Select(m => m.Member.FileNumber!).ToList();
            var cards = chunk.Where(m => m.Member.CardNumber != null).Select(m => m.Member.CardNumber!).ToList();
            // One JSON/array parameter per list (EF.Parameter) and one index per query: a thousand bound
            // values would be matched by name one by one, and an OR of three lists may scan the table.
            var stored = access.Db.Members.AsNoTracking();
            var takenIds = (await stored.Where(m => EF.Parameter(ids).Contains(m.CitizenId)).Select(m => m.CitizenId).ToListAsync(cancellationToken)).ToHashSet();
            HashSet<string> takenFiles = files.Count == 0 ? [] :
                (await stored.Where(m => m.FileNumber != null && EF.Parameter(files).Contains(m.FileNumber)).Select(m => m.FileNumber!).ToListAsync(cancellationToken)).ToHashSet();
            HashSet<string> takenCards = cards.Count == 0 ? [] :
                (await stored.Where(m => m.CardNumber != null && EF.Parameter(cards).Contains(m.CardNumber)).Select(m => m.CardNumber!).ToListAsync(cancellationToken)).ToHashSet();
            if (takenIds.Count + takenFiles.Count + takenCards.Count == 0)
            {
                continue;
            }

            foreach (var (member, row) in chunk)
            {
                if (takenIds.Contains(member.CitizenId))
                {
                    errors.Add(new ImportError(row, CitizenId, $"Số CCCD {member.CitizenId} đã có trong cơ sở dữ liệu.", "The citizen ID is already on file."));
                }

                if (member.FileNumber is { } f && takenFiles.Contains(f))
                {
                    errors.Add(new ImportError(row, FileNumber, $"Số lý lịch {f} đã có trong cơ sở dữ liệu.", "The file number is already on file."));
                }

                if (member.CardNumber is { } c && takenCards.Contains(c))
                {
                    errors.Add(new ImportError(row, CardNumber, $"Số thẻ {c} đã có trong cơ sở dữ liệu.", "The card number is already on file."));
                }
            }
        }

        if (errors.Count > before)
        {
            import.Failed = true;
        }
    }

    private static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];

    private static DateOnly? ParseDate(string value, string column, bool required, MemberFileFormat format, Action<string, string, string> error)
    {
        if (value.Length == 0)
        {
            if (required)
            {
                error(column, $"Chưa nhập \"{column}\".", $"\"{column}\" is required.");
            }

            return null;
        }

        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        // A date cell of a workbook holds the Excel serial number.
        if (format == MemberFileFormat.Xlsx && Xlsx.SerialDate(value) is { } serial)
        {
            return serial;
        }

        error(column, $"Ngày \"{value}\" không đúng dạng ngày/tháng/năm.", $"\"{value}\" is not a dd/MM/yyyy date.");
        return null;
    }

    private static readonly Dictionary<string, string> EthnicityCodes = Lookup(ReferenceData.EthnicGroups);
    private static readonly Dictionary<string, string> ReligionCodes = Lookup(ReferenceData.Religions);
    private static readonly Dictionary<string, string> TheoryCodes = Lookup(ReferenceData.TheoryLevels);

    /// <summary>A reference list by code and by folded name (diacritics and case ignored).</summary>
    private static Dictionary<string, string> Lookup(IReadOnlyList<ReferenceItem> list)
    {
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            lookup.TryAdd(item.Code, item.Code);
            lookup.TryAdd(VietnameseText.Fold(item.Name), item.Code);
        }

        return lookup;
    }

    private static string? Code(string value, Dictionary<string, string> lookup, string empty) =>
        value.Length == 0 ? empty : lookup.GetValueOrDefault(value) ?? lookup.GetValueOrDefault(VietnameseText.Fold(value));
}
