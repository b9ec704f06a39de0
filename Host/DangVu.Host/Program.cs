using DangVu.Host.Cli;

return await DangVuCli.RunAsync(args);
