// A batch of ECD cloud computers from Go, through the Automation API with an inline program: no Go language host
// is needed, only the `pulumi` CLI and the ecd resource plugin.
//
//	go run . [-stack dev] [-c key=value ...] preview|up|refresh|destroy|outputs [-expect-no-changes]
//	go run . [-stack dev] preview -json    # the planned steps as `pulumi preview --json` shows them
//	go run . [-stack dev] import <batchId>  # adopt an existing batch (the `import` resource option)
//
// The stack lives in the backend PULUMI_BACKEND_URL names (`pulumi login`'s otherwise); its settings (Pulumi.yaml,
// Pulumi.<stack>.yaml) in -workdir. Stack config such as ecd:region, ecd:endpoint, amount or desktopName is set
// with -c key=value; -secret key=value sets a secret one (ecd:accessKeySecret).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi-ecd/pulumi-ecd/sdk/go/ecd"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const project = "ecd-go"

// importID, when set, adopts that existing batch instead of creating one: `pulumi import` needs the program's
// language host (there is none for Go here), the `import` resource option does not.
var importID string

// program declares the batch; its inputs come from the stack's config.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	officeSiteID := cfg.Get("officeSiteId")
	if officeSiteID == "" {
		officeSiteID = "cn-hangzhou+dir-0000000001"
	}
	policyGroupID := cfg.Get("policyGroupId")
	if policyGroupID == "" {
		policyGroupID = "system-all-enabled-policy"
	}
	desktopName := cfg.Get("desktopName")
	if desktopName == "" {
		desktopName = "team"
	}
	amount := cfg.GetInt("amount")
	if amount == 0 {
		amount = 2
	}
	owner := cfg.GetSecret("owner")
	if cfg.Get("owner") == "" {
		owner = pulumi.String("platform").ToStringOutput()
	}
	desktops, err := ecd.NewDesktopBatch(ctx, "desktops", &ecd.DesktopBatchArgs{
		OfficeSiteId:  pulumi.String(officeSiteID),
		BundleId:      pulumi.String("b-win-office-4c8g"),
		PolicyGroupId: pulumi.String(policyGroupID),
		DesktopName:   pulumi.String(desktopName),
		Amount:        pulumi.Int(amount),
		EndUserIds:    pulumi.StringArray{pulumi.String("alice"), pulumi.String("bob")},
		Tags:          pulumi.StringMap{"team": pulumi.String("go"), "owner": owner},
	}, adopt()...)
	if err != nil {
		return err
	}
	ctx.Export("batchId", desktops.ID())
	ctx.Export("desktopIds", desktops.DesktopIds)
	return nil
}

// previewStep is a planned step in the shape `pulumi preview --json` prints it.
type previewStep struct {
	Op             apitype.OpType                  `json:"op"`
	URN            string                          `json:"urn"`
	ReplaceReasons []string                        `json:"replaceReasons,omitempty"`
	DetailedDiff   map[string]apitype.PropertyDiff `json:"detailedDiff"`
}

func collectSteps(stream <-chan events.EngineEvent, done chan<- []previewStep) {
	var steps []previewStep
	for event := range stream {
		if pre := event.ResourcePreEvent; pre != nil {
			m := pre.Metadata
			steps = append(steps, previewStep{m.Op, m.URN, m.Keys, m.DetailedDiff})
		}
	}
	done <- steps
}

func adopt() []pulumi.ResourceOption {
	if importID == "" {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Import(pulumi.ID(importID))}
}

type settings []string

func (s *settings) String() string     { return strings.Join(*s, ",") }
func (s *settings) Set(v string) error { *s = append(*s, v); return nil }

func run(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("ecd-go", flag.ContinueOnError)
	stackName := flags.String("stack", "dev", "the stack to select or create")
	workDir := flags.String("workdir", ".pulumi", "where the stack's settings are kept")
	var plain, secret settings
	flags.Var(&plain, "c", "stack config key=value (repeatable)")
	flags.Var(&secret, "secret", "secret stack config key=value (repeatable)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	verbs := flags.Args()
	if len(verbs) == 0 {
		return fmt.Errorf("expected preview, up, refresh, destroy, outputs or import <batchId>")
	}
	verb := flag.NewFlagSet(verbs[0], flag.ContinueOnError)
	expectNoChanges := verb.Bool("expect-no-changes", false, "fail if the operation would change anything")
	asJSON := verb.Bool("json", false, "preview: print the planned steps as JSON instead of progress")
	if err := verb.Parse(verbs[1:]); err != nil {
		return err
	}

	if err := os.MkdirAll(*workDir, 0o755); err != nil {
		return err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, *stackName, project, program, auto.WorkDir(*workDir))
	if err != nil {
		return err
	}
	for _, group := range []struct {
		values settings
		secret bool
	}{{plain, false}, {secret, true}} {
		for _, kv := range group.values {
			key, value, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("config %q: expected key=value", kv)
			}
			if err := stack.SetConfig(ctx, key, auto.ConfigValue{Value: value, Secret: group.secret}); err != nil {
				return err
			}
		}
	}

	out := optpreview.ProgressStreams(os.Stdout)
	switch verbs[0] {
	case "preview":
		opts := []optpreview.Option{optpreview.Diff()}
		if *expectNoChanges {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		if !*asJSON {
			_, err = stack.Preview(ctx, append(opts, out)...)
			break
		}
		events := make(chan events.EngineEvent)
		steps := make(chan []previewStep)
		go collectSteps(events, steps)
		_, err = stack.Preview(ctx, append(opts, optpreview.ProgressStreams(os.Stderr), optpreview.EventStreams(events))...)
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(map[string][]previewStep{"steps": <-steps})
		}
	case "up":
		_, err = stack.Up(ctx, optup.ProgressStreams(os.Stdout))
	case "refresh":
		opts := []optrefresh.Option{optrefresh.ProgressStreams(os.Stdout)}
		if *expectNoChanges {
			opts = append(opts, optrefresh.ExpectNoChanges())
		}
		_, err = stack.Refresh(ctx, opts...)
	case "destroy":
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
	case "import":
		if verb.NArg() != 1 {
			return fmt.Errorf("import: expected the batch ID")
		}
		importID = verb.Arg(0)
		_, err = stack.Up(ctx, optup.ProgressStreams(os.Stdout))
	case "outputs":
		var outputs auto.OutputMap
		if outputs, err = stack.Outputs(ctx); err == nil {
			values := map[string]interface{}{}
			for key, output := range outputs {
				if !output.Secret {
					values[key] = output.Value
				}
			}
			err = json.NewEncoder(os.Stdout).Encode(values)
		}
	default:
		return fmt.Errorf("unknown command %q", verbs[0])
	}
	return err
}

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ecd-go:", err)
		os.Exit(1)
	}
}
