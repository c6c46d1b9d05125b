// The lab: toolbar, file tree, editor, bottom panel (console, problems, tests, log), right pane, status bar.
import Toolbar from "./Toolbar.tsx";
import FileTree from "./FileTree.tsx";
import EditorPane from "./EditorPane.tsx";
import BottomPanel from "./BottomPanel.tsx";
import RightPane from "./RightPane.tsx";
import StatusBar from "./StatusBar.tsx";
import Palette from "./Palette.tsx";
import Banners from "./Banners.tsx";

export default function App() {
  return (
    <div className="lab">
      <Toolbar />
      <Banners />
      <div className="workspace">
        <FileTree />
        <main className="centre">
          <EditorPane />
          <BottomPanel />
        </main>
        <RightPane />
      </div>
      <StatusBar />
      <Palette />
    </div>
  );
}
